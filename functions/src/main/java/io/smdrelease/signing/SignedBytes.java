package io.smdrelease.signing;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * A signature as a {@link PayloadSigner} made it.
 *
 * @param joseSignature the JWS signature: ECDSA {@code R || S}, each padded to the curve's length (not DER)
 * @param chain         the signing certificate first, then its issuers
 * @param provenance    where the signature came from, for the record and for revocation checks (for AWS Signer:
 *                      {@code signer.jobId}, {@code signer.profileVersionArn}); empty for a local key
 */
public record SignedBytes(byte[] joseSignature, List<X509Certificate> chain, Map<String, String> provenance) {

    public SignedBytes {
        chain = List.copyOf(chain);
        provenance = Map.copyOf(provenance);
    }
}
