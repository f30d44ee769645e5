package io.smdrelease.lambda;

/**
 * A failure that may pass on a retry: the store was unreachable, a request timed out, a bug met a rare state. Its
 * class name is the error the state machine retries with backoff.
 */
public final class TransientFailureException extends RuntimeException {
    public TransientFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
