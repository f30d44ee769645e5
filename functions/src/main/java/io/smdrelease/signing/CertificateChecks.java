package io.smdrelease.signing;

import static io.smdrelease.signing.NotationSignatures.rejected;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The checks of a signature's certificates (Notary Project signature specification, certificate requirements). */
final class CertificateChecks {
    static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    private static final int DIGITAL_SIGNATURE = 0;

    private CertificateChecks() {}

    static void requireValidAt(String of, X509Certificate leaf, Instant signingTime) {
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (signingTime.isBefore(notBefore) || signingTime.isAfter(notAfter)) {
            throw rejected(of + " was made at " + signingTime + ", outside the validity of its signing certificate "
                    + subject(leaf) + " (" + notBefore + " to " + notAfter + ")");
        }
    }

    static void requireKeyFor(String of, X509Certificate leaf, JwsAlgorithm algorithm) {
        if (!(leaf.getPublicKey() instanceof ECPublicKey key) || !algorithm.matches(key)) {
            String actual = leaf.getPublicKey() instanceof ECPublicKey ec
                    ? JwsAlgorithm.of(ec).map(JwsAlgorithm::curveName).orElse("another curve")
                    : leaf.getPublicKey().getAlgorithm();
            throw rejected(of + " claims " + algorithm + ", which needs a " + algorithm.curveName()
                    + " key, but its certificate " + subject(leaf) + " has a " + actual + " key");
        }
    }

    /**
     * The chain must validate (PKIX at the signing time, no revocation checking: a Signer revocation is checked by
     * {@link SignatureTrust#revoked}) to one of the anchors; a leaf that is itself an anchor is trusted as it is.
     */
    static void requireTrusted(String of, List<X509Certificate> chain, List<X509Certificate> anchors, Instant at) {
        X509Certificate leaf = chain.getFirst();
        if (anchors.stream().anyMatch(anchor -> Arrays.equals(Pem.der(anchor), Pem.der(leaf)))) {
            return;
        }
        // the anchor is not part of a PKIX path: drop the self-issued root a Notation x5c ends with
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1
                && path.getLast()
                        .getSubjectX500Principal()
                        .equals(path.getLast().getIssuerX500Principal())) {
            path.removeLast();
        }
        try {
            Set<TrustAnchor> trustAnchors =
                    anchors.stream().map(a -> new TrustAnchor(a, null)).collect(Collectors.toSet());
            PKIXParameters parameters = new PKIXParameters(trustAnchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
        } catch (CertPathValidatorException e) {
            throw rejected(
                    of + " is not trusted: the chain of " + subject(leaf) + " (issued by "
                            + path.getLast().getIssuerX500Principal().getName() + ") does not lead to a trusted"
                            + " certificate "
                            + anchors.stream().map(CertificateChecks::subject).toList() + ": "
                            + e.getMessage(),
                    e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw rejected(of + " could not be checked against the trusted certificates: " + e.getMessage(), e);
        }
    }

    /**
     * The chain ({@code x5c}) must end with a self-signed root, as the Notary Project requires: notation-go refuses
     * any other chain ("invalid self-signed certificate"), even when its trust store holds the missing root.
     */
    static void requireEndsWithRoot(String of, List<X509Certificate> chain) {
        X509Certificate last = chain.getLast();
        if (!selfSigned(last)) {
            throw rejected(of + " has a certificate chain (x5c) that ends with " + subject(last) + ", issued by "
                    + last.getIssuerX500Principal().getName() + ": Notation requires it to end with the self-signed"
                    + " root; sign with the certificate chain up to its root (the root last)");
        }
    }

    private static boolean selfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false; // issued by another key of the same name
        }
    }

    static void requireCodeSigning(String of, X509Certificate leaf) {
        List<String> usages;
        try {
            usages = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw rejected(of + ": the extended key usage of " + subject(leaf) + " does not parse", e);
        }
        if (usages == null || !usages.contains(CODE_SIGNING)) {
            throw rejected(of + " was made with certificate " + subject(leaf) + ", which is not for code signing:"
                    + " it needs extendedKeyUsage codeSigning (" + CODE_SIGNING + "), it has "
                    + (usages == null ? "no extended key usage" : usages));
        }
        boolean[] keyUsage = leaf.getKeyUsage();
        if (keyUsage == null || !keyUsage[DIGITAL_SIGNATURE]) {
            throw rejected(of + " was made with certificate " + subject(leaf) + ", whose key usage lacks"
                    + " digitalSignature");
        }
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
