package io.smdrelease.release;

import io.smdrelease.gates.GateResult;
import java.util.List;
import java.util.Map;

/**
 * {@code release.json}, written last: the version is released. It records what was released, from what, by whom, on
 * which evidence, and where every image went, so that a rollback or an audit needs nothing else.
 *
 * @param execution the run that released it (an execution ARN, or {@code cli:user@host})
 * @param input     the run's input, waivers included
 * @param images    per image type
 * @param gates     every gate result, waivers included (status {@code WAIVED})
 * @param documents store paths of the changelogs and release notes
 */
public record ReleaseRecord(
        String version,
        String sourceVersion,
        String execution,
        String releasedAt,
        ReleaseInput input,
        Map<String, Image> images,
        List<GateResult> gates,
        List<String> documents) {

    /**
     * One released image.
     *
     * @param stagedDigest  the candidate digest the tests and gates ran on, the digest every repository holds
     * @param envOutSha256  the SHA-256 of the env.out the image was built with
     * @param repositories  per release repository, its tags (version tag first)
     * @param signature     the image's Notation signature, a referrer held by digest in every repository; {@code null}
     *                      when the release went to no repository
     * @param sbom          the image's CycloneDX SBOM: its store path, and the referrer held by digest in every
     *                      repository ({@code null} with no repository)
     */
    public record Image(
            String stagedDigest,
            String stagingRepository,
            String candidateTag,
            String envOutSha256,
            Map<String, List<String>> repositories,
            Signature signature,
            Sbom sbom) {}

    /**
     * @param manifest          the signature referrer's manifest digest
     * @param certificateSha256 the signing certificate's SHA-256 thumbprint
     * @param provenance        where it came from (for AWS Signer: the job id and the profile version ARN)
     */
    public record Signature(
            String manifest, String certificateSha256, String signedAt, Map<String, String> provenance) {}

    /** @param manifest the SBOM referrer's manifest digest, or {@code null} when it was not pushed */
    public record Sbom(String path, String manifest) {}
}
