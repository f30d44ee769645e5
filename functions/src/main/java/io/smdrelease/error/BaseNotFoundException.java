package io.smdrelease.error;

/** The base version (or the target version to build) has no artifacts in the store. */
public class BaseNotFoundException extends ReleaseException {
    public BaseNotFoundException(String message) {
        super(message);
    }

    public BaseNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
