package io.smdrelease.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.smdrelease.TestTrees;
import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.SizeLimitExceededException;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.store.TreeTransfer;
import io.smdrelease.testsupport.EcrImages;
import io.smdrelease.testsupport.MiniStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The size gate handler on MiniStack: the store in S3 (the repodata fixture repository), images of known sizes in
 * ECR (see {@link EcrImages}), the repodata served over HTTP as {@code repodata.json.zst}, as conda-forge serves it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SizeGateHandlerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPOSITORY = "smd-staging";
    private static final String STAGING_URI = MiniStack.ACCOUNT_ID + ".dkr.ecr.us-east-1.amazonaws.com/" + REPOSITORY;

    private static MiniStack ministack;
    private static S3Client s3;
    private static EcrClient ecr;
    private static HttpServer repodataServer;
    private static BucketStore store;
    private static List<String> repodataUrls;
    /** The regions the handler asked an ECR client for. */
    private static final List<String> REGIONS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        ministack = MiniStack.start();
        s3 = ministack.s3();
        s3.createBucket(b -> b.bucket("size-gate-it"));
        store = S3Stores.open(s3, "size-gate-it", "", Clock.systemUTC());
        TreeTransfer.pushTree(new LocalDirStore(TestTrees.resource("repodata/repo")), store);

        ecr = ecrClient(ministack.region().id());
        ecr.createRepository(r -> r.repositoryName(REPOSITORY));
        EcrImages.put(ecr, REPOSITORY, "1.1.0-cpu", 10_000_000); // new packages 400 kB: 4%
        EcrImages.put(ecr, REPOSITORY, "1.1.0-gpu", 6_000_000); // 6.67%: over the gate
        EcrImages.put(ecr, REPOSITORY, "1.0.0-cpu", 9_000_000);
        EcrImages.put(ecr, REPOSITORY, "1.0.1-cpu", 20_000_000);
        EcrImages.put(ecr, REPOSITORY, "1.0.1-gpu", 20_000_000);

        repodataServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        repodataUrls = new ArrayList<>();
        for (String subdir : List.of("linux-64", "noarch")) {
            byte[] zst = com.github.luben.zstd.Zstd.compress(
                    Files.readAllBytes(TestTrees.resource("repodata/channel/" + subdir + "/repodata.json")));
            String path = "/conda-forge/" + subdir + "/repodata.json.zst";
            repodataServer.createContext(path, exchange -> {
                exchange.sendResponseHeaders(200, zst.length);
                exchange.getResponseBody().write(zst);
                exchange.close();
            });
            repodataUrls.add("http://127.0.0.1:" + repodataServer.getAddress().getPort() + path);
        }
        repodataServer.start();
    }

    @AfterAll
    static void stop() {
        if (repodataServer != null) {
            repodataServer.stop(0);
        }
        for (AutoCloseable c : new AutoCloseable[] {ecr, s3, ministack}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    static EcrClient ecrClient(String region) {
        return EcrClient.builder()
                .endpointOverride(ministack.endpoint())
                .region(Region.of(region))
                .credentialsProvider(MiniStack.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    private static SizeGateHandler handler() {
        return new SizeGateHandler(
                store,
                region -> {
                    REGIONS.add(region);
                    return ecrClient(region);
                },
                repodataUrls);
    }

    /** The plan as Generate returns it (the fields the gate reads), with a local registry before the ECR staging repo. */
    private static String input(String targetVersion, String... repos) {
        List<String> list = repos.length == 0 ? List.of("127.0.0.1:5000/smd", STAGING_URI) : List.of(repos);
        return "{\"plan\":{\"targetVersion\":\"" + targetVersion + "\",\"sourceVersion\":null,\"artifactBucket\":"
                + "\"size-gate-it\",\"artifactPrefix\":\"build_artifacts/x\",\"validateSize\":true,\"targetEcrRepos\":"
                + list.stream().map(r -> "\"" + r + "\"").toList() + ",\"builds\":[]}}";
    }

    private static JsonNode invoke(SizeGateHandler handler, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void gatePasses_andReturnsTheReportAsJson() throws IOException {
        REGIONS.clear();
        JsonNode report = invoke(handler(), input("1.0.1"));
        assertEquals(List.of("us-east-1"), REGIONS, "one ECR client, for the staging repository's region");
        assertEquals("1.0.1", report.get("targetVersion").asText());
        assertEquals("1.0.0", report.get("baseVersion").asText());
        assertEquals(5.0, report.get("limitPercent").asDouble());
        assertTrue(
                report.get("repository")
                        .asText()
                        .startsWith("ECR repository smd-staging of account " + MiniStack.ACCOUNT_ID),
                report.toString());
        assertEquals(repodataUrls, JSON.convertValue(report.get("repodata"), List.class));
        assertEquals(2, report.get("images").size());
        for (JsonNode image : report.get("images")) {
            assertEquals(20_000_000, image.get("targetImageSize").asLong(), image.toString());
            assertEquals(0, image.get("newPackagesTotal").asLong(), image.toString());
            assertTrue(image.get("targetPackagesTotal").asLong() > 0, "package sizes from the served repodata");
        }
    }

    @Test
    void gateFails_withSizeLimitExceeded_unwrapped() {
        SizeLimitExceededException e =
                assertThrows(SizeLimitExceededException.class, () -> invoke(handler(), input("1.1.0")));
        assertTrue(
                e.getMessage()
                        .startsWith("the size gate of 1.1.0 failed: gpu: the 2 new packages take 390.63 KiB,"
                                + " 6.67% of image 1.1.0-gpu (5.72 MiB); the limit is 5.00%"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("cpu:"), "cpu's 4% passes: " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no plan | {} | InvalidInputException | needs {\"plan\": <the Generate output>}",
                "plan without version | {\"plan\":{\"targetEcrRepos\":[]}} | InvalidInputException | plan.targetVersion",
                "no private ECR repository | PLAN(1.1.0,127.0.0.1:5000/smd) | InvalidInputException | needs a private ECR repository",
                "no such ECR repository | PLAN(1.1.0," + MiniStack.ACCOUNT_ID
                        + ".dkr.ecr.us-east-1.amazonaws.com/nope) | InvalidInputException | ECR repository nope of account 000000000000 does not exist",
                "target image not pushed | PLAN(2.0.0) | MissingArtifactException | image 2.0.0-gpu is not in ECR repository smd-staging",
                "no such version | PLAN(1.3.0) | BaseNotFoundException | version 1.3.0 has no artifacts",
            })
    void badInput_isANamedUserError(String name, String input, String error, String message) {
        String json = input;
        if (input.startsWith("PLAN(")) {
            String[] args = input.substring(5, input.length() - 1).split(",");
            json = args.length == 1 ? input(args[0]) : input(args[0], args[1]);
        }
        String request = json;
        RuntimeException e = assertThrows(RuntimeException.class, () -> invoke(handler(), request));
        assertEquals(error, e.getClass().getSimpleName(), name + ": " + e);
        assertTrue(message == null || e.getMessage().contains(message), name + ": " + e.getMessage());
    }

    @Test
    void anUnreachableEcr_isATransientFailure() {
        SizeGateHandler handler = new SizeGateHandler(
                store,
                region -> EcrClient.builder()
                        .endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
                        .region(Region.of(region))
                        .credentialsProvider(MiniStack.credentials())
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .build(),
                repodataUrls);
        RuntimeException e = assertThrows(RuntimeException.class, () -> invoke(handler, input("1.0.1")));
        assertInstanceOf(TransientFailureException.class, e, e.toString());
        assertTrue(e.getMessage().contains("SdkClientException"), e.getMessage());
    }

    /** The reader's rule (as in the CLI): repodata that cannot be read is a user error naming the URL. */
    @Test
    void unreadableRepodata_isAUserError_namingTheUrl() {
        String missing = "http://127.0.0.1:" + repodataServer.getAddress().getPort() + "/nope/repodata.json.zst";
        SizeGateHandler handler = new SizeGateHandler(store, SizeGateHandlerIT::ecrClient, List.of(missing));
        RuntimeException e = assertThrows(RuntimeException.class, () -> invoke(handler, input("1.0.1")));
        assertInstanceOf(InvalidInputException.class, e, e.toString());
        assertTrue(e.getMessage().contains("could not read repodata " + missing), e.getMessage());
    }

    @Test
    void noSizeGateInput_isRefusedByGenerate_beforeAnythingIsWritten() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> ReleaseInput.parse(
                        JSON.readTree("{\"releaseType\":\"patch\",\"basePatchVersion\":\"1.0.0\",\"validateSize\":true,"
                                + "\"targetEcrRepos\":[\"public.ecr.aws/abc/smd\"]}")));
        assertTrue(e.getMessage().contains("validateSize needs a private ECR repository"), e.getMessage());
    }
}
