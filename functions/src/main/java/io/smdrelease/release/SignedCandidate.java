package io.smdrelease.release;

import io.smdrelease.registry.Descriptor;
import java.util.Map;

/**
 * A gated candidate with its evidence attached: the Notation signature and the CycloneDX SBOM pushed as OCI referrers
 * of the image into the staging repository, and copied with it into every release repository.
 *
 * @param image             the candidate image's descriptor in the staging repository
 * @param signature         the signature referrer's manifest digest
 * @param certificateSha256 the SHA-256 thumbprint of the signing certificate
 * @param signedAt          the signature's signing time
 * @param provenance        where the signature came from (for AWS Signer its job id and profile version ARN)
 * @param sbom              the SBOM referrer's manifest digest
 * @param sbomPath          the SBOM's store path
 */
public record SignedCandidate(
        String imageType,
        Descriptor image,
        String stagingRepository,
        String signature,
        String certificateSha256,
        String signedAt,
        Map<String, String> provenance,
        String sbom,
        String sbomPath) {

    public SignedCandidate {
        provenance = Map.copyOf(provenance);
    }
}
