package io.smdrelease.error;

/**
 * A version tag already points at another digest in a release repository. Version tags are never re-pointed, so the
 * promotion stops before it moves anything.
 */
public final class TagConflictException extends ReleaseException {
    public TagConflictException(String message) {
        super(message);
    }
}
