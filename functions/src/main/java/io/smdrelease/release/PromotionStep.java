package io.smdrelease.release;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One tag to point at a candidate digest in one release repository, or one referrer of it (its SBOM or signature) to
 * copy there by digest.
 *
 * @param source the staging repository holding the candidate
 * @param digest the candidate's digest, or the referrer's manifest digest
 * @param tag    the tag, or {@code null} for a referrer (copied by digest only)
 * @param alias  whether the tag moves between versions ({@code 4.4-cpu}, {@code latest-cpu}) rather than naming one
 */
public record PromotionStep(
        String imageType, String source, String digest, String repository, String tag, boolean alias) {

    @JsonIgnore
    public boolean isReferrer() {
        return tag == null;
    }
}
