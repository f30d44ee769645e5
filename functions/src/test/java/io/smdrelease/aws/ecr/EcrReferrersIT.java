package io.smdrelease.aws.ecr;

import static io.smdrelease.testsupport.TestReferrers.assertSameReferrer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.oci.OciRegistryClient;
import io.smdrelease.oci.ReferrerManifest;
import io.smdrelease.oci.RetryPolicy;
import io.smdrelease.registry.CopyResult;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.Referrer;
import io.smdrelease.registry.RegistryRejectedException;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.ReferrersProbe;
import io.smdrelease.testsupport.RegistryProxy;
import io.smdrelease.testsupport.TestImages;
import io.smdrelease.testsupport.TestReferrers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageDetail;

/**
 * Referrers against MiniStack's ECR registry endpoint, logged in with an ECR token as promotion is, reached through a
 * {@link RegistryProxy} that shows every request.
 */
class EcrReferrersIT {
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    @TempDir
    static Path shared;

    private static MiniStack ministack;
    private static EcrClient ecr;
    private static RegistryProxy proxy;
    private static TestImages.Image image;
    private static TestImages.Image index;
    private static OciRegistryClient client;
    private static String repo;

    @BeforeAll
    static void start() throws Exception {
        LocalRegistry.requireTools("skopeo", "docker-registry");
        ministack = MiniStack.start();
        ecr = ministack.client(EcrClient.builder()).build();
        for (String name : List.of("release/smd", "mirror/smd")) {
            ecr.createRepository(r -> r.repositoryName(name));
        }
        proxy = RegistryProxy.start(ministack.port());
        repo = proxy.repository("release/smd");
        image = TestImages.writeImage(shared.resolve("layout"), "cpu", 21, 20_000);
        index = TestImages.writeIndex(shared.resolve("layout"), "multi", 23, 10_000);
        TestImages.push(image, repo, "4.4.1-cpu");
        TestImages.push(index, repo, "4.4.1-multi");
        client = new OciRegistryClient(ministack.registryCredentials(ecr, proxy.hostPort()), RetryPolicy.DEFAULT);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (ecr != null) {
            ecr.close();
        }
        if (ministack != null) {
            ministack.close();
        }
    }

    @Test
    void describe_anImageAndAnIndex() throws Exception {
        assertEquals(
                new Descriptor(OCI_MANIFEST, image.digest(), layoutSize(image)), client.describe(repo, image.digest()));
        assertEquals(
                new Descriptor("application/vnd.oci.image.index.v1+json", index.digest(), layoutSize(index)),
                client.describe(repo, index.digest()));
    }

    @Test
    void pushedReferrer_readsBackEqual_servedByteIdentical_pushedAgainWithoutBlobTraffic_untagged() throws Exception {
        Referrer referrer = TestReferrers.signature(client.describe(repo, image.digest()), "ecr");
        String digest = client.pushReferrer(repo, referrer);

        assertEquals(ReferrerManifest.of(referrer).digest(), digest);
        assertSameReferrer(referrer, client.readReferrer(repo, digest));
        assertArrayEquals(
                ReferrerManifest.of(referrer).bytes(),
                ReferrersProbe.manifest(repo, digest).body());
        List<ImageDetail> held = ecr.describeImages(r -> r.repositoryName("release/smd")).imageDetails().stream()
                .filter(d -> d.imageDigest().equals(digest))
                .toList();
        assertEquals(1, held.size(), "ECR lists the referrer");
        assertTrue(held.get(0).imageTags().isEmpty(), "without a tag: " + held);

        proxy.reset();
        assertEquals(digest, client.pushReferrer(repo, referrer));
        assertTrue(
                proxy.requests().stream().noneMatch(r -> r.path().contains("/blobs/")),
                proxy.requests().toString());
        assertTrue(proxy.requests().stream().allMatch(RegistryProxy.Request::authorized), "with the ECR token");
    }

    @Test
    void copiedByDigest_mountedWithinEcr_streamedToAnotherRegistry_readBackThere() throws Exception {
        Referrer referrer = TestReferrers.signature(client.describe(repo, image.digest()), "copied");
        String digest = client.pushReferrer(repo, referrer);
        String mirror = proxy.repository("mirror/smd");

        CopyResult mounted = client.copy(repo, digest, mirror, null);

        assertEquals(new CopyResult(mirror, null, digest, false, 1, 0, 3, 0, 0), mounted);
        assertSameReferrer(referrer, client.readReferrer(mirror, digest));
        assertEquals(CopyResult.skipped(mirror, null, digest), client.copy(repo, digest, mirror, null));
        assertEquals(
                List.of(digest),
                ecr.describeImages(r -> r.repositoryName("mirror/smd")).imageDetails().stream()
                        .map(ImageDetail::imageDigest)
                        .toList());
        try (LocalRegistry other = LocalRegistry.start(shared.resolve("other"))) {
            String elsewhere = other.repository("mirror/smd");
            CopyResult streamed = client.copy(repo, digest, elsewhere, null);
            assertEquals(3, streamed.blobsUploaded(), streamed.toString());
            assertEquals(TestReferrers.blobBytes(referrer), streamed.bytesUploaded());
            assertSameReferrer(referrer, client.readReferrer(elsewhere, digest));
        }
    }

    @Test
    void readReferrer_ofAPlainImage_isRejectedSayingWhy() {
        RegistryRejectedException e =
                assertThrows(RegistryRejectedException.class, () -> client.readReferrer(repo, image.digest()));
        assertTrue(
                e.getMessage().contains("is not a referrer") && e.getMessage().contains("no subject"), e.getMessage());
    }

    /**
     * What MiniStack's ECR does with a referrer: it stores the manifest as sent, sets no {@code OCI-Subject} header,
     * and has no referrers API: the request is not routed to the registry at all (MiniStack 1.5.33 answers it as S3,
     * 404 {@code NoSuchBucket}).
     */
    @Test
    void ministackEcr_takesSubjectAndArtifactType_butHasNoReferrersApi() throws Exception {
        Referrer referrer = TestReferrers.signature(client.describe(repo, image.digest()), "facts");
        client.pushReferrer(repo, referrer);
        ReferrerManifest manifest = ReferrerManifest.of(referrer);

        ReferrersProbe.Answer put = ReferrersProbe.putManifest(repo, manifest.digest(), manifest.bytes());
        assertEquals(201, put.status());
        assertEquals(Optional.empty(), put.header(), "no OCI-Subject header");
        ReferrersProbe.Answer referrers = ReferrersProbe.referrers(repo, image.digest());
        assertEquals(404, referrers.status());
        assertTrue(new String(referrers.body()).contains("NoSuchBucket"), new String(referrers.body()));
    }

    private static long layoutSize(TestImages.Image i) throws Exception {
        return Files.size(shared.resolve("layout/blobs/sha256/" + i.digest().substring("sha256:".length())));
    }
}
