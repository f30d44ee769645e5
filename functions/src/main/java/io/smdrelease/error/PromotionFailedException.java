package io.smdrelease.error;

/**
 * A registry refused a promotion copy for good (credentials, permissions, a missing repository): running again does
 * not help until that is fixed. The message names every failed repository and what it answered.
 */
public final class PromotionFailedException extends ReleaseException {
    public PromotionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
