package io.smdrelease.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.error.VersionExistsException;
import io.smdrelease.error.VersionLockedException;
import io.smdrelease.testsupport.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The publish protocol's owners, retries and locks, on the bucket store over {@link InMemoryBucket}. */
class VersionPublisherTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String V = "build_artifacts/v4/v4.4/v4.4.1";
    private static final String LOCK_KEY = "mirror/" + V + "/.lock";
    private static final PublicationOwner EXECUTION = new PublicationOwner(
            "arn:aws:states:us-east-1:123456789012:execution:smd-release:run-1", Duration.ofHours(2));
    private static final PublicationOwner OTHER = new PublicationOwner("alice@laptop pid 42", Duration.ofHours(1));

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryBucket bucket = new InMemoryBucket(clock);
    private final BucketStore store = new BucketStore(bucket, "mirror", clock);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static VersionPublication version(String tag, boolean replace, PublicationOwner owner) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put(V + "/Dockerfile", utf8("FROM base " + tag));
        files.put(V + "/cpu.env.in", utf8("conda-forge::numpy " + tag));
        return new VersionPublication(
                        V,
                        ArtifactFile.regularFiles(files),
                        Map.of(),
                        replace,
                        Set.of("cpu.additional_packages_env.in"),
                        "4.4.0")
                .ownedBy(owner);
    }

    /** Every object with its ETag: "nothing written" means this did not change. */
    private Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        for (String key : bucket.keys()) {
            out.put(key, bucket.head(key).orElseThrow().eTag());
        }
        return out;
    }

    private void putLock(String json) {
        bucket.put(LOCK_KEY, utf8(json), Map.of());
    }

    @Test
    void theManifestAndTheLockNameTheOwner() {
        VersionLock[] seen = new VersionLock[1];
        InMemoryBucket spy = new InMemoryBucket(clock) {
            @Override
            public synchronized Optional<String> putIfAbsent(String key, byte[] content, Map<String, String> m) {
                Optional<String> eTag = super.putIfAbsent(key, content, m);
                if (key.endsWith("/.lock")) {
                    seen[0] = new BucketStore(this, "mirror", clock).lock(V).orElseThrow();
                }
                return eTag;
            }
        };
        BucketStore spied = new BucketStore(spy, "mirror", clock);
        spied.publish(version("a", false, EXECUTION));
        assertEquals(EXECUTION.name(), spied.manifest(V).orElseThrow().owner());
        assertEquals(EXECUTION.name(), seen[0].owner());
        assertEquals(T0, seen[0].createdAt());
        assertEquals(T0.plus(Duration.ofHours(2)), seen[0].expiresAt(), "createdAt + the owner's maximum age");
        assertTrue(spied.lock(V).isEmpty(), "released");
    }

    @Test
    void aRetryBySameOwnerAfterPublishingSucceedsWithoutWriting() {
        store.publish(version("a", false, EXECUTION));
        Map<String, String> before = snapshot();
        clock.advance(Duration.ofMinutes(3));
        store.publish(version("a", false, EXECUTION));
        store.publish(version("a", true, EXECUTION)); // a retried --force run, too
        assertEquals(before, snapshot(), "nothing was written");
    }

    @Test
    void anythingElseFindingTheVersionIsRefused() {
        store.publish(version("a", false, EXECUTION));
        Map<String, String> before = snapshot();
        assertThrows(VersionExistsException.class, () -> store.publish(version("b", false, EXECUTION)), "new files");
        assertThrows(VersionExistsException.class, () -> store.publish(version("a", false, OTHER)), "other owner");
        VersionPublication a = version("a", false, EXECUTION);
        Map<String, ArtifactFile> executable = new TreeMap<>(a.files());
        executable.put(
                V + "/Dockerfile",
                ArtifactFile.executable(a.files().get(V + "/Dockerfile").content()));
        assertThrows(
                VersionExistsException.class,
                () -> store.publish(new VersionPublication(
                        V, executable, Map.of(), Set.of(), false, a.keepNames(), "4.4.0", EXECUTION)),
                "another mode");
        assertThrows(
                VersionExistsException.class,
                () -> store.publish(new VersionPublication(
                        V, a.files(), Map.of(), Set.of(V + "/dirs/empty"), false, a.keepNames(), "4.4.0", EXECUTION)),
                "another empty directory");
        assertEquals(before, snapshot());
    }

    @Test
    void aKeptFileDoesNotMakeARetryDifferent() {
        bucket.put("mirror/" + V + "/cpu.additional_packages_env.in", utf8("user extras"), Map.of());
        store.publish(version("a", false, EXECUTION));
        Map<String, String> before = snapshot();
        store.publish(version("a", false, EXECUTION));
        assertEquals(before, snapshot());
    }

    @Test
    void aLiveLockOfAnotherOwnerRefusesNamingOwnerExpiryAndTheFix() {
        putLock("{\"owner\":\"" + OTHER.name() + "\",\"createdAt\":\"" + T0 + "\",\"expiresAt\":\""
                + T0.plus(Duration.ofHours(1)) + "\"}");
        clock.advance(Duration.ofMinutes(10));
        VersionLockedException e =
                assertThrows(VersionLockedException.class, () -> store.publish(version("a", false, EXECUTION)));
        assertEquals(Optional.of(OTHER.name()), e.owner());
        assertEquals(Optional.of(T0), e.lockedSince());
        assertEquals(Optional.of(T0.plus(Duration.ofHours(1))), e.expiresAt());
        assertTrue(
                e.getMessage()
                        .contains("is locked by alice@laptop pid 42 since 2026-03-01T10:00:00Z (PT10M ago)"
                                + " until 2026-03-01T11:00:00Z (in PT50M)"),
                e.getMessage());
        assertTrue(
                e.getMessage()
                        .endsWith("break the lock: smd-release break-lock --target-patch-version 4.4.1"
                                + " --store mem://bucket/mirror"),
                e.getMessage());
        assertTrue(store.lock(V).isPresent(), "the other owner's lock is left alone");
        assertFalse(store.isComplete(V));
    }

    @Test
    void anExpiredLockIsTakenOver() {
        putLock("{\"owner\":\"" + OTHER.name() + "\",\"createdAt\":\"" + T0 + "\",\"expiresAt\":\""
                + T0.plus(Duration.ofHours(1)) + "\"}");
        clock.advance(Duration.ofHours(1));
        store.publish(version("a", false, EXECUTION));
        assertTrue(store.isComplete(V));
        assertTrue(store.lock(V).isEmpty());
    }

    @Test
    void aLockWithoutExpiryExpiresAfterThePublishersMaximumAge() {
        putLock("{\"owner\":\"an old release\",\"createdAt\":\"" + T0 + "\"}");
        clock.advance(Duration.ofMinutes(119));
        VersionLockedException e =
                assertThrows(VersionLockedException.class, () -> store.publish(version("a", false, EXECUTION)));
        assertEquals(Optional.of(T0.plus(Duration.ofHours(2))), e.expiresAt());
        clock.advance(Duration.ofMinutes(1));
        store.publish(version("a", false, EXECUTION));
        assertTrue(store.isComplete(V));
    }

    @Test
    void aLiveLockOfTheSameOwnerIsTakenOver() {
        // a retried run whose first attempt died holding the lock
        putLock("{\"owner\":\"" + EXECUTION.name() + "\",\"createdAt\":\"" + T0 + "\",\"expiresAt\":\""
                + T0.plus(Duration.ofHours(2)) + "\"}");
        clock.advance(Duration.ofMinutes(1));
        store.publish(version("a", false, EXECUTION));
        assertTrue(store.isComplete(V));
    }

    @Test
    void breakLockDeletesTheLockItFoundAndSaysWhoseItWas() {
        assertEquals(Optional.empty(), store.breakLock(V), "no lock: nothing to break");
        putLock("{\"owner\":\"" + OTHER.name() + "\",\"createdAt\":\"" + T0 + "\",\"expiresAt\":\""
                + T0.plus(Duration.ofHours(1)) + "\"}");
        VersionLock broken = store.breakLock(V).orElseThrow();
        assertEquals(OTHER.name(), broken.owner());
        assertEquals(T0, broken.createdAt());
        assertTrue(store.lock(V).isEmpty());
        assertEquals(Optional.empty(), store.breakLock(V));
    }

    @Test
    void breakLockLeavesALockTakenWhileBreakingIt() {
        putLock("{\"owner\":\"dead run\",\"createdAt\":\"" + T0 + "\"}");
        InMemoryBucket racing = new InMemoryBucket(clock) {
            @Override
            public synchronized boolean deleteIfMatch(String key, String eTag) {
                // a live run replaces the lock between break-lock's read and its delete
                bucket.put(key, utf8("{\"owner\":\"live run\",\"createdAt\":\"" + T0 + "\"}"), Map.of());
                return bucket.deleteIfMatch(key, eTag);
            }

            @Override
            public synchronized Optional<StoredObject> get(String key) {
                return bucket.get(key);
            }
        };
        VersionLockedException e =
                assertThrows(VersionLockedException.class, () -> new BucketStore(racing, "mirror", clock).breakLock(V));
        assertTrue(e.getMessage().contains("changed while it was being broken"), e.getMessage());
        assertArrayEquals(
                utf8("{\"owner\":\"live run\",\"createdAt\":\"" + T0 + "\"}"),
                bucket.get(LOCK_KEY).orElseThrow().content());
    }
}
