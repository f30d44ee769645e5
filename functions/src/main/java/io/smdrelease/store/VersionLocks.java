package io.smdrelease.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.error.VersionLockedException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The lock object {@code <versionDir>/.lock} of a bucket store: taken with a conditional write
 * ({@code If-None-Match: *}), body {@code {"owner", "createdAt", "token"}}, released with a delete conditional on our
 * ETag, so a run never removes a lock that is not its own.
 */
final class VersionLocks {
    static final String FILE_NAME = ".lock";

    private static final System.Logger LOG = System.getLogger(VersionLocks.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BucketStore store;

    VersionLocks(BucketStore store) {
        this.store = store;
    }

    /** A lock we took: its store path and the ETag of our lock object. */
    record Held(String path, String eTag) {}

    /** A lock as found in the bucket. */
    record Found(String owner, Instant createdAt, String eTag) {}

    /**
     * Takes the lock of {@code dir} for {@code owner}.
     *
     * @throws VersionLockedException when another run holds it
     */
    Held acquire(String dir, String owner) {
        String path = StorePaths.join(dir, FILE_NAME);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("owner", owner);
        body.put("createdAt", store.clock().instant().toString());
        body.put("token", UUID.randomUUID().toString());
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return store.bucket()
                .putIfAbsent(store.key(path), bytes, Map.of())
                .map(eTag -> new Held(path, eTag))
                .orElseThrow(() -> new VersionLockedException(lockedMessage(dir, path)));
    }

    private String lockedMessage(String dir, String lockPath) {
        String who = "another run";
        String since = "an unknown time";
        try {
            Optional<Found> info = find(lockPath);
            if (info.isEmpty()) {
                who = "another run (its lock has just been released)";
            } else {
                who = info.get().owner();
                since = info.get().createdAt() + " ("
                        + Duration.between(info.get().createdAt(), store.clock().instant())
                                .withNanos(0) + " ago)";
            }
        } catch (RuntimeException e) {
            since += " (" + e.getMessage() + ")";
        }
        return "version " + VersionManifest.versionName(dir) + " at "
                + store.bucket().uri(store.dirPrefix(dir))
                + " is locked by " + who + " since " + since
                + ": another release of this version is running. If that run is dead, break the lock"
                + " (BucketStore.breakStaleLock, or: aws s3 rm " + store.uriOf(lockPath) + ") and run again with"
                + " --force.";
    }

    /** The lock at {@code lockPath}, or empty when there is none. */
    Optional<Found> find(String lockPath) {
        return store.bucket().get(store.key(lockPath)).map(object -> {
            String owner = "an unknown owner";
            Instant createdAt = object.lastModified();
            try {
                JsonNode node = JSON.readTree(object.content());
                if (node.hasNonNull("owner")) {
                    owner = node.get("owner").asText();
                }
                if (node.hasNonNull("createdAt")) {
                    createdAt = Instant.parse(node.get("createdAt").asText());
                }
            } catch (IOException | DateTimeParseException e) {
                // an unreadable lock still locks; its object's LastModified gives its age
            }
            return new Found(owner, createdAt, object.eTag());
        });
    }

    /** Whether our lock is still in place (nobody broke or replaced it). */
    boolean holds(Held lock) {
        return store.bucket()
                .head(store.key(lock.path()))
                .map(head -> ObjectBucket.sameETag(lock.eTag(), head.eTag()))
                .orElse(false);
    }

    /**
     * Deletes our lock if it is still ours. Never throws: the version's state is decided by its manifest, and a lock
     * that could not be deleted is stale and broken on request, so a failed release never turns a published version
     * into an error (nor hides the real one).
     */
    void release(Held lock, boolean published) {
        try {
            store.bucket().deleteIfMatch(store.key(lock.path()), lock.eTag());
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "could not release " + store.uriOf(lock.path()) + " after "
                            + (published ? "publishing" : "failing to publish") + ": " + e.getMessage());
        }
    }

    /**
     * Breaks the lock of {@code versionDir} when it is older than {@code maxAge} (by its {@code createdAt}, else the
     * object's LastModified, against the store's clock).
     *
     * @return whether a lock was deleted
     */
    boolean breakStale(String versionDir, Duration maxAge) {
        String path = StorePaths.join(StorePaths.check(versionDir), FILE_NAME);
        Optional<Found> info = find(path);
        if (info.isEmpty()) {
            return false;
        }
        Duration age = Duration.between(info.get().createdAt(), store.clock().instant());
        if (age.compareTo(maxAge) <= 0) {
            return false;
        }
        boolean broke = store.bucket().deleteIfMatch(store.key(path), info.get().eTag());
        if (broke) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "broke the stale lock " + store.uriOf(path) + " of "
                            + info.get().owner() + " created " + info.get().createdAt() + " (" + age + " old)");
        }
        return broke;
    }
}
