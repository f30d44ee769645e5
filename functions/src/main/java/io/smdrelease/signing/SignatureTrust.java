package io.smdrelease.signing;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a verifier trusts: the certificates a signature's chain must end in, and whether a signing was revoked. */
public interface SignatureTrust {

    /** Trust anchors: a chain is trusted when it validates to one of them (the signing certificate itself may be one). */
    List<X509Certificate> anchors();

    /**
     * Empty when the signing with this provenance ({@link SignedBytes#provenance()}) still stands; otherwise why it
     * does not (a revoked Signer job, a revoked or cancelled signing profile).
     */
    Optional<String> revoked(Map<String, String> provenance);
}
