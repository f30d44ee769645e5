package io.smdrelease.signing;

/** A signature did not verify; the message says which check failed and what was found. */
public class SignatureRejectedException extends RuntimeException {
    public SignatureRejectedException(String message) {
        super(message);
    }

    public SignatureRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
