package io.smdrelease.error;

/** A file the operation needs is missing: a template, an image configuration, source-version.txt. */
public class MissingArtifactException extends ReleaseException {
    public MissingArtifactException(String message) {
        super(message);
    }

    public MissingArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
