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
 * The lock object {@code <versionDir>/.lock} of a bucket store, body {@code {"owner", "createdAt", "expiresAt",
 * "token"}}. It is taken with a conditional write ({@code If-None-Match: *}). A lock found in place is taken over when
 * it has expired or belongs to the same owner (a retried run): deleted conditionally on the ETag that was read, then
 * written again conditionally, so of two runs taking over one lock only one succeeds. A live lock of another owner
 * refuses the run. Releasing and breaking delete conditionally on the ETag, so nobody removes a lock they did not see.
 */
final class VersionLocks {
    static final String FILE_NAME = ".lock";
    /** Takeovers raced by other runs before giving up. */
    private static final int ATTEMPTS = 3;

    private static final System.Logger LOG = System.getLogger(VersionLocks.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BucketStore store;

    VersionLocks(BucketStore store) {
        this.store = store;
    }

    /** A lock we took: its store path and the ETag of our lock object. */
    record Held(String path, String eTag) {}

    /**
     * Takes the lock of {@code dir} for {@code owner}, taking over an expired lock or one of the same owner.
     *
     * @throws VersionLockedException when another owner holds a live lock, naming it, since when, until when and how
     *                                to break it
     */
    Held acquire(String dir, PublicationOwner owner) {
        String path = StorePaths.join(dir, FILE_NAME);
        String key = store.key(path);
        VersionLock found = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = store.clock().instant();
            Optional<String> eTag = store.bucket().putIfAbsent(key, body(owner, now), Map.of());
            if (eTag.isPresent()) {
                return new Held(path, eTag.get());
            }
            Optional<VersionLock> current = find(path, owner.lockMaxAge());
            if (current.isEmpty()) {
                continue; // released in between: try again
            }
            found = current.get();
            boolean expired = found.expiredAt(now);
            if (!expired && !found.owner().equals(owner.name())) {
                throw locked(dir, found, now);
            }
            if (store.bucket().deleteIfMatch(key, found.eTag())) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "took over the " + (expired ? "expired" : "own") + " lock " + store.uriOf(path) + " of "
                                + found.owner() + " taken at " + found.createdAt() + ", expiring at "
                                + found.expiresAt());
            }
        }
        // every attempt lost a race with other runs taking the lock
        Instant now = store.clock().instant();
        throw found != null
                ? locked(dir, found, now)
                : new VersionLockedException("the lock " + store.uriOf(path) + " of version "
                        + VersionManifest.versionName(dir) + " changed hands " + ATTEMPTS
                        + " times while this run tried to take it: another release of this version is running");
    }

    private static byte[] body(PublicationOwner owner, Instant now) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("owner", owner.name());
        body.put("createdAt", now.toString());
        body.put("expiresAt", now.plus(owner.lockMaxAge()).toString());
        body.put("token", UUID.randomUUID().toString());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private VersionLockedException locked(String dir, VersionLock lock, Instant now) {
        String version = VersionManifest.versionName(dir);
        String storeUri = store.location().replaceAll("/+$", "");
        String message = "version " + version + " at " + store.bucket().uri(store.dirPrefix(dir)) + " is locked by "
                + lock.owner() + " since " + lock.createdAt() + " (" + age(lock.createdAt(), now) + " ago) until "
                + lock.expiresAt() + " (in " + age(now, lock.expiresAt()) + "): another release of this version is"
                + " running. If that run is dead, break the lock: smd-release break-lock --target-patch-version "
                + version + " --store " + storeUri;
        return new VersionLockedException(message, lock.owner(), lock.createdAt(), lock.expiresAt());
    }

    private static Duration age(Instant from, Instant to) {
        return Duration.between(from, to).withNanos(0);
    }

    /**
     * The lock at {@code lockPath}, or empty when there is none. A lock that names no expiry (or no readable one)
     * expires {@code defaultMaxAge} after it was taken; one without a readable time was taken at its object's
     * LastModified; one without a readable owner still locks.
     */
    Optional<VersionLock> find(String lockPath, Duration defaultMaxAge) {
        return store.bucket().get(store.key(lockPath)).map(object -> {
            String owner = "an unknown owner";
            Instant createdAt = object.lastModified();
            Instant expiresAt = null;
            try {
                JsonNode node = JSON.readTree(object.content());
                if (node.hasNonNull("owner")) {
                    owner = node.get("owner").asText();
                }
                if (node.hasNonNull("createdAt")) {
                    createdAt = Instant.parse(node.get("createdAt").asText());
                }
                if (node.hasNonNull("expiresAt")) {
                    expiresAt = Instant.parse(node.get("expiresAt").asText());
                }
            } catch (IOException | DateTimeParseException e) {
                // an unreadable lock still locks, until it expires by its age
            }
            return new VersionLock(
                    owner, createdAt, expiresAt != null ? expiresAt : createdAt.plus(defaultMaxAge), object.eTag());
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
     * that could not be deleted expires, so a failed release never turns a published version into an error (nor
     * hides the real one).
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
     * Deletes the lock of {@code versionDir}, whoever holds it, conditionally on the ETag it was read with.
     *
     * @return the lock that was deleted, or empty when there was none
     * @throws VersionLockedException when the lock changed between reading and deleting it (another run took it)
     */
    Optional<VersionLock> breakLock(String versionDir) {
        String path = StorePaths.join(StorePaths.check(versionDir), FILE_NAME);
        Optional<VersionLock> found = find(path, PublicationOwner.CLI_LOCK_MAX_AGE);
        if (found.isEmpty()) {
            return found;
        }
        VersionLock lock = found.get();
        if (!store.bucket().deleteIfMatch(store.key(path), lock.eTag())) {
            if (find(path, PublicationOwner.CLI_LOCK_MAX_AGE).isEmpty()) {
                return Optional.empty(); // released by its owner meanwhile
            }
            throw new VersionLockedException(
                    "the lock " + store.uriOf(path) + " changed while it was being broken: another run has taken it;"
                            + " look at it again before breaking it");
        }
        LOG.log(
                System.Logger.Level.WARNING,
                "broke the lock " + store.uriOf(path) + " of " + lock.owner() + " taken at " + lock.createdAt());
        return found;
    }
}
