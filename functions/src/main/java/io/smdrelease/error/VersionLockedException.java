package io.smdrelease.error;

/** Another writer is creating the same version right now (or left a stale lock). */
public class VersionLockedException extends ReleaseException {
    public VersionLockedException(String message) {
        super(message);
    }

    public VersionLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
