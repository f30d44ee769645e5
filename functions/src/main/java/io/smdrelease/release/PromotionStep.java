package io.smdrelease.release;

/**
 * One tag to point at a candidate digest in one release repository.
 *
 * @param source the staging repository holding the candidate
 * @param alias  whether the tag moves between versions ({@code 4.4-cpu}, {@code latest-cpu}) rather than naming one
 */
public record PromotionStep(
        String imageType, String source, String digest, String repository, String tag, boolean alias) {}
