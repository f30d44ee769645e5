package io.smdrelease.error;

/** The target version already exists and the request does not replace it. */
public class VersionExistsException extends ReleaseException {
    public VersionExistsException(String message) {
        super(message);
    }

    public VersionExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
