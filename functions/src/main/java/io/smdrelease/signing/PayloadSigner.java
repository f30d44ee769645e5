package io.smdrelease.signing;

/**
 * Makes the signature of a Notation JWS envelope: ECDSA over the JWS signing input. Implementations: a local PEM key
 * ({@link LocalKeySigner}) and AWS Signer (an adapter).
 */
public interface PayloadSigner {

    /** The JWS algorithm of the signatures it makes ({@code ES256} for P-256 keys, {@code ES384} for P-384). */
    String jwsAlgorithm();

    /**
     * Signs {@code signingInput} (the ASCII bytes {@code BASE64URL(protected) '.' BASE64URL(payload)}).
     *
     * @throws SigningException when the signer refused or failed
     */
    SignedBytes sign(byte[] signingInput);
}
