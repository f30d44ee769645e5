package io.smdrelease.signing;

import io.smdrelease.registry.Referrer;
import java.time.Instant;
import java.util.Map;

/**
 * A Notation signature made for an image, ready to push.
 *
 * @param referrer              the signature manifest to push next to the image (subject: the image)
 * @param provenance            where the signature came from ({@link SignedBytes#provenance()}), to record and to
 *                              check for revocation at verification
 * @param certificateThumbprint SHA-256 hex of the signing certificate's DER
 * @param signingTime           the signing time in the signed header (whole seconds)
 */
public record SignatureArtifact(
        Referrer referrer, Map<String, String> provenance, String certificateThumbprint, Instant signingTime) {

    public SignatureArtifact {
        provenance = Map.copyOf(provenance);
    }
}
