package io.smdrelease.aws.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.oci.OciRegistryClient;
import io.smdrelease.oci.RetryPolicy;
import io.smdrelease.registry.CopyResult;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.RegistryProxy;
import io.smdrelease.testsupport.TestImages;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageDetail;

/**
 * Promotion copies against MiniStack's ECR registry endpoint: logged in with a {@code GetAuthorizationToken} token
 * (the endpoint named an ECR registry through {@code ECR_REGISTRY_HOSTS}, as the build scripts do), reached through a
 * {@link RegistryProxy} that shows the Authorization header of every request and the bytes uploaded.
 */
class EcrRegistryCopyIT {
    private static final List<String> RELEASE = List.of("release-a/smd", "release-b/smd", "release-c/smd");

    @TempDir
    static Path shared;

    private static MiniStack ministack;
    private static EcrClient ecr;
    private static RegistryProxy proxy;
    private static TestImages.Image image;
    private static OciRegistryClient client;

    @BeforeAll
    static void start() throws Exception {
        LocalRegistry.requireTools("skopeo", "docker-registry");
        ministack = MiniStack.start();
        ecr = ministack.client(EcrClient.builder()).build();
        for (String name : concat("staging/smd", RELEASE)) {
            ecr.createRepository(r -> r.repositoryName(name));
        }
        proxy = RegistryProxy.start(ministack.port());
        image = TestImages.writeImage(shared.resolve("layout"), "cpu", 3, 200_000, 100_000);
        TestImages.push(image, proxy.repository("staging/smd"), "candidate-cpu");
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
    void copiesToThreeRepositoriesByMount_withAnEcrToken_describeImagesShowsTheDigest_secondCopySkipped() {
        String staging = proxy.repository("staging/smd");
        proxy.reset();
        for (String name : RELEASE) {
            CopyResult r = client.copy(staging, image.digest(), proxy.repository(name), "4.4.1-cpu");
            assertEquals(new CopyResult(proxy.repository(name), "4.4.1-cpu", image.digest(), false, 1, 0, 3, 0, 0), r);
        }
        assertEquals(0, proxy.uploadedBytes(), "mounted within the registry: no blob bytes");
        assertTrue(
                proxy.requests().stream().allMatch(RegistryProxy.Request::authorized),
                "every request carried the ECR token: " + proxy.requests());

        for (String name : RELEASE) {
            assertEquals(Optional.of(image.digest()), client.digestOf(proxy.repository(name), "4.4.1-cpu"));
            assertEquals(List.of("4.4.1-cpu"), tagsOf(name, image.digest()), name);
            CopyResult again = client.copy(staging, image.digest(), proxy.repository(name), "4.4.1-cpu");
            assertTrue(again.skipped(), again.toString());
        }
    }

    @Test
    void aliasesOnTheStagedDigest_costNoBlobTraffic() {
        String staging = proxy.repository("staging/smd");
        String target = proxy.repository("release-a/smd");
        client.copy(staging, image.digest(), target, "4.4.1-cpu");
        proxy.reset();
        for (String alias : List.of("4.4-cpu", "4-cpu", "latest-cpu")) {
            client.copy(staging, image.digest(), target, alias);
        }
        assertTrue(
                proxy.requests().stream().noneMatch(r -> r.path().contains("/blobs/")),
                proxy.requests().toString());
        assertEquals(
                new TreeSet<>(List.of("4.4.1-cpu", "4.4-cpu", "4-cpu", "latest-cpu")),
                new TreeSet<>(tagsOf("release-a/smd", image.digest())));
    }

    @Test
    void copiesFromEcrToAnotherRegistry_streamingTheBlobs() throws Exception {
        try (LocalRegistry other = LocalRegistry.start(shared.resolve("other"))) {
            String target = other.repository("mirror/smd");
            CopyResult r = client.copy(proxy.repository("staging/smd"), image.digest(), target, "4.4.1-cpu");
            assertEquals(3, r.blobsUploaded());
            assertEquals(image.blobBytes(), r.bytesUploaded());
            assertEquals(image.digest(), TestImages.remoteDigest(target, "4.4.1-cpu"));
        }
    }

    private static List<String> tagsOf(String repository, String digest) {
        return ecr.describeImages(r -> r.repositoryName(repository)).imageDetails().stream()
                .filter(d -> d.imageDigest().equals(digest))
                .map(ImageDetail::imageTags)
                .flatMap(List::stream)
                .sorted()
                .toList();
    }

    private static List<String> concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream())
                .toList();
    }
}
