package io.smdrelease.error;

/**
 * The signer refuses for a reason no retry fixes: its profile is revoked or cancelled, on another platform, or its
 * certificate cannot make the signatures images need. The message says what to set up instead.
 */
public final class SigningRefusedException extends ReleaseException {
    public SigningRefusedException(String message) {
        super(message);
    }
}
