package io.smdrelease.error;

import java.time.Instant;
import java.util.Optional;

/**
 * Another writer is creating the same version right now. When a live lock was found, its owner, since when it is held
 * and when it expires are kept as fields, so each interface can phrase the fix in its own words.
 */
public class VersionLockedException extends ReleaseException {
    private final String owner;
    private final Instant lockedSince;
    private final Instant expiresAt;

    public VersionLockedException(String message) {
        this(message, null, null, null);
    }

    public VersionLockedException(String message, Throwable cause) {
        super(message, cause);
        this.owner = null;
        this.lockedSince = null;
        this.expiresAt = null;
    }

    /** A live lock of {@code owner}, taken at {@code lockedSince}, expiring at {@code expiresAt}. */
    public VersionLockedException(String message, String owner, Instant lockedSince, Instant expiresAt) {
        super(message);
        this.owner = owner;
        this.lockedSince = lockedSince;
        this.expiresAt = expiresAt;
    }

    /** Who holds the lock (an execution ARN, {@code user@host pid N}), when known. */
    public Optional<String> owner() {
        return Optional.ofNullable(owner);
    }

    /** When the lock was taken, when known. */
    public Optional<Instant> lockedSince() {
        return Optional.ofNullable(lockedSince);
    }

    /** When the lock expires and the next publication may take it over, when known. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }
}
