package io.smdrelease.signing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Map;

/** Signs with an EC private key held here (a laptop's PEM files, tests). Its provenance is empty: nothing to revoke. */
public final class LocalKeySigner implements PayloadSigner {
    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final JwsAlgorithm algorithm;

    /**
     * @param key   a P-256 or P-384 private key
     * @param chain its certificate first, then the issuers
     * @throws IllegalArgumentException when the key is on another curve or is not the certificate's
     */
    public LocalKeySigner(PrivateKey key, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a signing key needs its certificate: the chain is empty");
        }
        X509Certificate leaf = chain.getFirst();
        if (!(key instanceof ECPrivateKey ec) || !(leaf.getPublicKey() instanceof ECPublicKey)) {
            throw new IllegalArgumentException("the signing key and certificate " + leaf.getSubjectX500Principal()
                    + " must be EC (P-256 or P-384), got " + key.getAlgorithm() + " and "
                    + leaf.getPublicKey().getAlgorithm());
        }
        this.algorithm = JwsAlgorithm.of(ec)
                .orElseThrow(() -> new IllegalArgumentException(
                        "the signing key is on an EC curve other than P-256 and P-384: use one of those"));
        this.key = key;
        this.chain = List.copyOf(chain);
        requireKeyOf(leaf);
    }

    /** A signer from a PEM PKCS#8 EC private key and a PEM certificate chain (signing certificate first). */
    public static LocalKeySigner fromPemFiles(Path privateKey, Path certificateChain) {
        return new LocalKeySigner(Pem.ecPrivateKey(privateKey), Pem.certificates(certificateChain));
    }

    @Override
    public String jwsAlgorithm() {
        return algorithm.name();
    }

    @Override
    public SignedBytes sign(byte[] signingInput) {
        try {
            Signature signature = Signature.getInstance(algorithm.jcaSignature());
            signature.initSign(key);
            signature.update(signingInput);
            return new SignedBytes(signature.sign(), chain, Map.of());
        } catch (GeneralSecurityException e) {
            throw new SigningException("the local key could not sign: " + e.getMessage(), e);
        }
    }

    /** A key and certificate that do not belong together would make signatures nobody can verify: refuse at once. */
    private void requireKeyOf(X509Certificate leaf) {
        byte[] probe = "smd-release key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature verifier = Signature.getInstance(algorithm.jcaSignature());
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            if (!verifier.verify(sign(probe).joseSignature())) {
                throw new IllegalArgumentException("the private key is not the key of the signing certificate "
                        + leaf.getSubjectX500Principal() + ": give the key the certificate was issued for");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot check the key against " + leaf.getSubjectX500Principal(), e);
        }
    }
}
