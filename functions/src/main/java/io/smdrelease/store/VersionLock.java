package io.smdrelease.store;

import java.time.Instant;

/**
 * A version's lock as found in a bucket ({@code <versionDir>/.lock}).
 *
 * @param owner     who took it (an execution ARN, {@code user@host pid N})
 * @param createdAt when it was taken
 * @param expiresAt when it expires: from then on the next publication takes it over
 * @param eTag      the lock object's ETag, for a delete conditional on it
 */
public record VersionLock(String owner, Instant createdAt, Instant expiresAt, String eTag) {

    /** Whether the lock has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
