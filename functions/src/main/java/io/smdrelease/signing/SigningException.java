package io.smdrelease.signing;

/** A signer refused or failed to sign; the message says which signer and why. */
public class SigningException extends RuntimeException {
    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }

    public SigningException(String message) {
        super(message);
    }
}
