package io.smdrelease.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.registry.CopyResult;
import io.smdrelease.registry.RegistryRejectedException;
import io.smdrelease.registry.RegistryUnavailableException;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.RegistryProxy;
import io.smdrelease.testsupport.RegistryProxy.Fault;
import io.smdrelease.testsupport.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against real {@code docker-registry} instances on 127.0.0.1: a staging registry holding the
 * candidate (pushed by skopeo from an OCI layout) and two release registries reached through a {@link RegistryProxy}
 * that counts the uploaded bytes and injects 429s.
 */
class OciRegistryClientIT {
    private static final RetryPolicy FAST =
            new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(20));

    @TempDir
    static Path shared;

    private static LocalRegistry staging;
    private static LocalRegistry releaseA;
    private static LocalRegistry releaseB;
    private static RegistryProxy proxyA;
    private static RegistryProxy proxyB;
    private static String stagingRepo;
    private static TestImages.Image image;
    private static TestImages.Image index;

    private final OciRegistryClient client = new OciRegistryClient(RegistryCredentials.ANONYMOUS, FAST);

    @BeforeAll
    static void startRegistriesAndStageTheCandidate() throws Exception {
        LocalRegistry.requireTools("docker-registry", "skopeo");
        staging = LocalRegistry.start(shared.resolve("staging"));
        releaseA = LocalRegistry.start(shared.resolve("release-a"));
        releaseB = LocalRegistry.start(shared.resolve("release-b"));
        proxyA = RegistryProxy.start(releaseA.port());
        proxyB = RegistryProxy.start(releaseB.port());
        stagingRepo = staging.repository("staging/sagemaker-distribution");
        image = TestImages.writeImage(shared.resolve("layout"), "cpu", 1, 300_000, 200_000, 100_000);
        index = TestImages.writeIndex(shared.resolve("layout"), "multi", 7, 50_000, 40_000);
        TestImages.push(image, stagingRepo, "candidate-cpu");
        TestImages.push(index, stagingRepo, "candidate-multi");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {proxyA, proxyB, staging, releaseA, releaseB}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // stopping anyway
            }
        }
    }

    @AfterEach
    void clearFaults() {
        proxyA.clearFaults();
        proxyB.clearFaults();
    }

    @Test
    void copiesByDigestToThreeRepositories_digestsIdentical_mountOnSameHost_secondCopySkipped() throws Exception {
        String sameHost = staging.repository("release/sagemaker-distribution");
        String viaA = proxyA.repository("three/sagemaker-distribution");
        String viaB = proxyB.repository("team/three/sagemaker-distribution");
        proxyA.reset();
        proxyB.reset();

        CopyResult mounted = client.copy(stagingRepo, image.digest(), sameHost, "4.4.1-cpu");
        CopyResult a = client.copy(stagingRepo, image.digest(), viaA, "4.4.1-cpu");
        CopyResult b = client.copy(stagingRepo, image.digest(), viaB, "4.4.1-cpu");

        assertEquals(new CopyResult(sameHost, "4.4.1-cpu", image.digest(), false, 1, 0, 4, 0, 0), mounted);
        for (CopyResult r : List.of(a, b)) {
            assertEquals(4, r.blobsUploaded(), r.toString());
            assertEquals(image.blobBytes(), r.bytesUploaded(), r.toString());
            assertFalse(r.skipped());
        }
        assertEquals(image.blobBytes(), proxyA.uploadedBytes(), "every blob went up once through the proxy");
        assertEquals(image.blobBytes(), proxyB.uploadedBytes());
        for (String repo : List.of(sameHost, viaA, viaB)) {
            assertEquals(image.digest(), TestImages.remoteDigest(repo, "4.4.1-cpu"), "skopeo reads " + repo);
            assertEquals(Optional.of(image.digest()), client.digestOf(repo, "4.4.1-cpu"));
        }

        proxyA.reset();
        CopyResult again = client.copy(stagingRepo, image.digest(), viaA, "4.4.1-cpu");
        assertEquals(CopyResult.skipped(viaA, "4.4.1-cpu", image.digest()), again);
        assertEquals(
                List.of("HEAD /v2/three/sagemaker-distribution/manifests/4.4.1-cpu"),
                proxyA.requests().stream().map(r -> r.method() + " " + r.path()).toList(),
                "a skipped copy costs one HEAD");
    }

    @Test
    void aliasRepointedToADigestTheTargetHolds_uploadsNoBlobBytes() throws Exception {
        String repo = proxyA.repository("alias/sagemaker-distribution");
        client.copy(stagingRepo, image.digest(), repo, "4.4.1-cpu");
        proxyA.reset();

        for (String alias : List.of("4.4-cpu", "4-cpu", "latest-cpu")) {
            CopyResult r = client.copy(stagingRepo, image.digest(), repo, alias);
            assertEquals(new CopyResult(repo, alias, image.digest(), false, 1, 0, 0, 0, 0), r);
        }
        assertEquals(0, proxyA.uploadedBytes());
        assertTrue(
                proxyA.requests().stream().noneMatch(r -> r.path().contains("/blobs/")),
                "not even a blob HEAD: " + proxyA.requests());
        assertEquals(image.digest(), TestImages.remoteDigest(repo, "latest-cpu"));
    }

    @Test
    void imageIndex_copiedWithItsChildren_digestPreserved() throws Exception {
        String repo = proxyB.repository("index/sagemaker-distribution");
        proxyB.reset();
        CopyResult r = client.copy(stagingRepo, index.digest(), repo, "4.4.1-multi");

        assertEquals(3, r.manifestsPut(), r.toString());
        assertEquals(index.blobs(), r.blobsUploaded());
        assertEquals(index.blobBytes(), proxyB.uploadedBytes());
        assertEquals(index.digest(), TestImages.remoteDigest(repo, "4.4.1-multi"));
        assertEquals(Optional.of(index.digest()), client.digestOf(repo, "4.4.1-multi"));
    }

    @Test
    void a429WithRetryAfterOnABlobUpload_isWaitedOutAndTheCopySucceeds() throws Exception {
        String repo = proxyA.repository("throttled/sagemaker-distribution");
        proxyA.reset();
        proxyA.inject(Fault.times(1, r -> r.method().equals("PATCH"), 429, Map.of("Retry-After", "2")));
        // one blob at a time, so that the next upload request after the 429 is the retry of the throttled blob
        OciRegistryClient oneAtATime = new OciRegistryClient(RegistryCredentials.ANONYMOUS, FAST, 1);

        CopyResult r = oneAtATime.copy(stagingRepo, image.digest(), repo, "4.4.1-cpu");

        assertEquals(1, proxyA.faulted().size());
        Duration waited = proxyA.waitAfterFirstFault(x -> x.isBlobUpload());
        assertTrue(waited.compareTo(Duration.ofSeconds(2)) >= 0, "waited as told: " + waited);
        assertTrue(waited.compareTo(Duration.ofSeconds(5)) < 0, "and not much longer: " + waited);
        assertEquals(4, r.blobsUploaded());
        assertEquals(image.digest(), TestImages.remoteDigest(repo, "4.4.1-cpu"));
    }

    /**
     * docker-registry answers a manifest PUT that races another push linking one of its blobs with 400
     * MANIFEST_BLOB_UNKNOWN although the blob was just copied: the PUT is tried again, a few times.
     */
    @Test
    void aManifestPutAnsweredBlobUnknown_afterTheBlobsWereCopied_isTriedAgain() throws Exception {
        String repo = proxyA.repository("racing/sagemaker-distribution");
        proxyA.reset();
        proxyA.inject(Fault.answering(
                1, r -> r.method().equals("PUT") && r.path().contains("/manifests/"), 400, "MANIFEST_BLOB_UNKNOWN"));

        client.copy(stagingRepo, image.digest(), repo, "4.4.1-cpu");

        assertEquals(1, proxyA.faulted().size());
        assertEquals(image.digest(), TestImages.remoteDigest(repo, "4.4.1-cpu"));

        String never = proxyA.repository("never-linked/sagemaker-distribution");
        proxyA.inject(Fault.answering(
                -1, r -> r.method().equals("PUT") && r.path().contains("/manifests/"), 400, "MANIFEST_BLOB_UNKNOWN"));
        RegistryRejectedException e = assertThrows(
                RegistryRejectedException.class, () -> client.copy(stagingRepo, image.digest(), never, "4.4.1-cpu"));
        assertTrue(e.getMessage().contains("MANIFEST_BLOB_UNKNOWN"), e.getMessage());
    }

    @Test
    void aRegistryThatKeepsAnswering429_failsWithinTheBoundNamingTheRepository() {
        String repo = proxyB.repository("always-throttled/sagemaker-distribution");
        proxyB.inject(Fault.always(r -> true, 429, Map.of("Retry-After", "1")));
        OciRegistryClient bounded = new OciRegistryClient(
                RegistryCredentials.ANONYMOUS,
                new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(4)));

        Instant start = Instant.now();
        RegistryUnavailableException e = assertThrows(
                RegistryUnavailableException.class, () -> bounded.copy(stagingRepo, image.digest(), repo, "4.4.1-cpu"));

        Duration took = Duration.between(start, Instant.now());
        assertTrue(
                took.compareTo(Duration.ofSeconds(3)) >= 0 && took.compareTo(Duration.ofSeconds(8)) < 0,
                "gave up at the budget: " + took);
        assertEquals(repo, e.repository());
        assertEquals("4.4.1-cpu", e.reference());
        assertEquals(429, e.status());
        assertTrue(e.isTransient());
        assertTrue(
                e.getMessage().contains(repo + ":4.4.1-cpu") && e.getMessage().contains("answered 429"),
                e.getMessage());
    }

    @Test
    void aDeadRegistry_isATransientErrorNamingIt() throws Exception {
        LocalRegistry dead = LocalRegistry.start(shared.resolve("dead"));
        dead.close();
        String repo = dead.repository("sagemaker-distribution");
        OciRegistryClient bounded = new OciRegistryClient(
                RegistryCredentials.ANONYMOUS,
                new RetryPolicy(2, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5)));

        RegistryUnavailableException e = assertThrows(
                RegistryUnavailableException.class, () -> bounded.copy(stagingRepo, image.digest(), repo, "4.4.1-cpu"));

        assertEquals(repo, e.repository());
        assertEquals(0, e.status());
        assertTrue(
                e.getMessage()
                        .startsWith("Tried to read the tag " + repo + ":4.4.1-cpu but " + dead.hostPort()
                                + " did not answer"),
                e.getMessage());
    }

    @Test
    void aDigestTheSourceDoesNotHave_isRejectedNamingTheSource() {
        String missing = "sha256:" + "0".repeat(64);
        RegistryRejectedException e = assertThrows(
                RegistryRejectedException.class,
                () -> client.copy(stagingRepo, missing, proxyA.repository("missing/smd"), "4.4.1-cpu"));

        assertEquals(stagingRepo, e.repository());
        assertEquals(404, e.status());
        assertFalse(e.isTransient());
        assertTrue(e.getMessage().contains(stagingRepo + "@" + missing), e.getMessage());
        assertTrue(e.getMessage().contains("MANIFEST_UNKNOWN"), e.getMessage());
    }

    @Test
    void aBasicChallenge_isAnsweredWithTheCredentials_withoutThemTheCopyIsRejected() throws Exception {
        try (LocalRegistry locked = LocalRegistry.startWithBasicAuth(shared.resolve("locked"), "smd", "s3cret")) {
            String repo = locked.repository("locked/sagemaker-distribution");
            RegistryCredentials onlyForLocked = host -> host.equals(locked.hostPort())
                    ? Optional.of(new RegistryCredentials.Credentials("smd", "s3cret", false))
                    : Optional.empty();
            OciRegistryClient withCredentials = new OciRegistryClient(onlyForLocked, FAST);

            CopyResult r = withCredentials.copy(stagingRepo, image.digest(), repo, "4.4.1-cpu");

            assertEquals(4, r.blobsUploaded());
            assertEquals(Optional.of(image.digest()), withCredentials.digestOf(repo, "4.4.1-cpu"));
            RegistryRejectedException e = assertThrows(
                    RegistryRejectedException.class, () -> client.copy(stagingRepo, image.digest(), repo, "4.4-cpu"));
            assertEquals(401, e.status());
            assertTrue(
                    e.getMessage().contains(repo + ":4.4-cpu") && e.getMessage().contains("credentials"),
                    e.getMessage());
        }
    }

    @Test
    void digestOfAMissingTag_isEmpty() {
        assertEquals(Optional.empty(), client.digestOf(stagingRepo, "no-such-tag"));
    }
}
