package io.smdrelease.error;

/**
 * Root of the errors a user can fix: bad input, a missing base, a version that exists. The message names the problem
 * and the fix. Anything that is not a {@code ReleaseException} is an internal or transient failure.
 *
 * <p>The simple class names are part of the pipeline contract: the state machine never retries them.
 */
public abstract class ReleaseException extends RuntimeException {
    protected ReleaseException(String message) {
        super(message);
    }

    protected ReleaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
