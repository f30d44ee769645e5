package io.smdrelease.oci;

import static io.smdrelease.testsupport.TestReferrers.assertSameReferrer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.registry.CopyResult;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.Referrer;
import io.smdrelease.registry.RegistryRejectedException;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.ReferrersProbe;
import io.smdrelease.testsupport.RegistryProxy;
import io.smdrelease.testsupport.TestImages;
import io.smdrelease.testsupport.TestReferrers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Referrers against real {@code docker-registry} instances (distribution 2.8): one holding an image and an index
 * (pushed by skopeo), reached through a {@link RegistryProxy} that shows every request, and a second registry.
 */
class ReferrersIT {
    private static final RetryPolicy FAST =
            new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(20));

    @TempDir
    static Path shared;

    private static LocalRegistry registry;
    private static LocalRegistry other;
    private static RegistryProxy proxy;
    private static String repo;
    private static TestImages.Image image;
    private static TestImages.Image index;

    private final OciRegistryClient client = new OciRegistryClient(RegistryCredentials.ANONYMOUS, FAST);

    @BeforeAll
    static void startRegistriesAndPushTheImages() throws Exception {
        LocalRegistry.requireTools("docker-registry", "skopeo");
        registry = LocalRegistry.start(shared.resolve("registry"));
        other = LocalRegistry.start(shared.resolve("other"));
        proxy = RegistryProxy.start(registry.port());
        repo = proxy.repository("release/smd");
        image = TestImages.writeImage(shared.resolve("layout"), "cpu", 11, 20_000);
        index = TestImages.writeIndex(shared.resolve("layout"), "multi", 13, 10_000);
        TestImages.push(image, repo, "4.4.1-cpu");
        TestImages.push(index, repo, "4.4.1-multi");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {proxy, registry, other}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // stopping anyway
            }
        }
    }

    @Test
    void describe_anImageAndAnIndex_asTheRegistryServesThem() throws Exception {
        assertEquals(
                new Descriptor(Manifest.OCI_MANIFEST, image.digest(), layoutBlobSize(image.digest())),
                client.describe(repo, image.digest()));
        assertEquals(
                new Descriptor(Manifest.OCI_INDEX, index.digest(), layoutBlobSize(index.digest())),
                client.describe(repo, index.digest()));
        RegistryRejectedException e =
                assertThrows(RegistryRejectedException.class, () -> client.describe(repo, "sha256:" + "0".repeat(64)));
        assertEquals(404, e.status());
    }

    @Test
    void pushedReferrer_readsBackEqual_servedByteIdentical_pushedAgainWithoutBlobTraffic() throws Exception {
        String signed = proxy.repository("signed/smd"); // its own repository: no empty config in it yet
        client.copy(repo, image.digest(), signed, "4.4.1-cpu");
        Referrer referrer = TestReferrers.signature(client.describe(signed, image.digest()), "push");
        proxy.reset();

        String digest = client.pushReferrer(signed, referrer);

        assertEquals(ReferrerManifest.of(referrer).digest(), digest);
        assertEquals(
                3,
                proxy.requests().stream()
                        .filter(r -> r.method().equals("PUT") && r.path().contains("/blobs/uploads/"))
                        .count(),
                "the empty config and two layers uploaded: " + proxy.requests());
        assertSameReferrer(referrer, client.readReferrer(signed, digest));
        ReferrersProbe.Answer served = ReferrersProbe.manifest(signed, digest);
        assertArrayEquals(ReferrerManifest.of(referrer).bytes(), served.body(), "served as pushed");
        assertEquals(Optional.of(Manifest.OCI_MANIFEST), served.header());

        proxy.reset();
        assertEquals(digest, client.pushReferrer(signed, referrer));
        assertEquals(
                List.of("HEAD /v2/signed/smd/manifests/" + digest),
                proxy.requests().stream().map(r -> r.method() + " " + r.path()).toList(),
                "pushed again: one HEAD, no blob traffic");
    }

    @Test
    void copiedByDigest_mountedOnTheSameRegistry_streamedToAnother_readBackThere_thenSkipped() {
        Referrer referrer = TestReferrers.signature(client.describe(repo, image.digest()), "copy");
        String digest = client.pushReferrer(repo, referrer);
        String sameHost = proxy.repository("mirror/smd");
        String elsewhere = other.repository("mirror/smd");

        CopyResult mounted = client.copy(repo, digest, sameHost, null);
        CopyResult streamed = client.copy(repo, digest, elsewhere, null);

        assertEquals(new CopyResult(sameHost, null, digest, false, 1, 0, 3, 0, 0), mounted);
        assertEquals(
                new CopyResult(elsewhere, null, digest, false, 1, 0, 0, 3, TestReferrers.blobBytes(referrer)),
                streamed);
        assertSameReferrer(referrer, client.readReferrer(sameHost, digest));
        assertSameReferrer(referrer, client.readReferrer(elsewhere, digest));
        CopyResult again = client.copy(repo, digest, elsewhere, null);
        assertEquals(CopyResult.skipped(elsewhere, null, digest), again);
        assertEquals(elsewhere + "@" + digest, again.target());
    }

    @Test
    void readReferrer_ofAPlainImage_orAMissingManifest_isRejectedSayingWhy() {
        RegistryRejectedException plain =
                assertThrows(RegistryRejectedException.class, () -> client.readReferrer(repo, image.digest()));
        assertTrue(
                plain.getMessage().contains(repo + "@" + image.digest() + " is not a referrer")
                        && plain.getMessage().contains("no subject"),
                plain.getMessage());

        RegistryRejectedException index = assertThrows(
                RegistryRejectedException.class, () -> client.readReferrer(repo, ReferrersIT.index.digest()));
        assertTrue(index.getMessage().contains("an image index"), index.getMessage());

        String missing = "sha256:" + "0".repeat(64);
        RegistryRejectedException gone =
                assertThrows(RegistryRejectedException.class, () -> client.readReferrer(repo, missing));
        assertEquals(404, gone.status());
        assertTrue(gone.getMessage().contains("MANIFEST_UNKNOWN"), gone.getMessage());
    }

    @Test
    void aBlobTamperedWithInTheRegistrysStorage_failsTheRead() throws Exception {
        String direct = registry.repository("tampered/smd");
        Referrer referrer = TestReferrers.signature(client.describe(repo, image.digest()), "tampered");
        String digest = client.pushReferrer(direct, referrer);
        byte[] original = referrer.layers().get(0).content();
        String hex = TestImages.sha256(original).substring("sha256:".length());
        Path data = registry.dir()
                .resolve("data/docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
        byte[] forged = original.clone();
        forged[forged.length - 2] ^= 1; // the same length: only the digest can tell
        Files.write(data, forged);

        RegistryRejectedException e =
                assertThrows(RegistryRejectedException.class, () -> client.readReferrer(direct, digest));
        assertTrue(e.getMessage().contains("a blob whose digest is " + TestImages.sha256(forged)), e.getMessage());
        assertEquals("sha256:" + hex, e.reference());
    }

    /**
     * What distribution 2.8 does with a referrer: it takes the manifest (its subject need not exist, its blobs must),
     * sets no {@code OCI-Subject} header and has no referrers API (404, a plain-text page).
     */
    @Test
    void dockerRegistry_takesSubjectAndArtifactType_butHasNoReferrersApi() throws Exception {
        Descriptor absent = new Descriptor(Manifest.OCI_MANIFEST, "sha256:" + "1".repeat(64), 99);
        client.pushReferrer(repo, TestReferrers.signature(absent, "of nothing"));
        Referrer referrer = TestReferrers.signature(client.describe(repo, image.digest()), "facts");
        client.pushReferrer(repo, referrer);
        ReferrerManifest manifest = ReferrerManifest.of(referrer);

        ReferrersProbe.Answer put = ReferrersProbe.putManifest(repo, manifest.digest(), manifest.bytes());
        assertEquals(201, put.status());
        assertEquals(Optional.empty(), put.header(), "no OCI-Subject header");
        ReferrersProbe.Answer referrers = ReferrersProbe.referrers(repo, image.digest());
        assertEquals(404, referrers.status());
        assertEquals(Optional.of("text/plain; charset=utf-8"), referrers.header(), "not an API answer");
    }

    private static long layoutBlobSize(String digest) throws Exception {
        return Files.size(shared.resolve("layout/blobs/sha256/" + digest.substring("sha256:".length())));
    }
}
