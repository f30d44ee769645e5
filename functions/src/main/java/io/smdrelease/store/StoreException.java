package io.smdrelease.store;

/**
 * A store could not be read or written for a reason the user cannot fix by changing the request: a network error, a
 * throttled or failing S3 call. The message names the operation and the object ({@code s3://bucket/key}). Not a
 * {@link io.smdrelease.error.ReleaseException}, so the state machine treats it as transient and retries.
 */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
