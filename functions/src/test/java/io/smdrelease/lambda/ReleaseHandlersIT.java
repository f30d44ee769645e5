package io.smdrelease.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.artifacts.VersionCatalog;
import io.smdrelease.aws.ecr.EcrRegistryCredentials;
import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.error.VersionExistsException;
import io.smdrelease.oci.OciRegistryClient;
import io.smdrelease.oci.RetryPolicy;
import io.smdrelease.release.CheckoutReleases;
import io.smdrelease.signing.NotationSignatures;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.store.TreeTransfer;
import io.smdrelease.testsupport.EmulatorSigning;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.MiniStackExtension;
import io.smdrelease.testsupport.TestImages;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.vulnerability.ScanWait;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release handlers one after the other, as the state machine calls them, through their JSON entry points: the
 * bucket is MiniStack's S3 seeded with push-tree's logic from examples/, the registries a real docker-registry
 * (staging and two release repositories on it), the candidates real images pushed there as a build would.
 */
class ReleaseHandlersIT {
    @RegisterExtension
    static final MiniStackExtension EMULATOR = new MiniStackExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PROJECTS =
            Map.of("CPU_BUILD_PROJECT", "build-cpu", "GPU_BUILD_PROJECT", "build-gpu");

    @TempDir
    static Path shared;

    private static LocalRegistry registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        LocalRegistry.assumeInstalled();
        LocalRegistry.requireTools("skopeo");
        registry = LocalRegistry.start(shared.resolve("registry"));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private record Pipeline(
            String bucketName,
            BucketStore bucket,
            PipelineSettings settings,
            String staging,
            EmulatorSigning signing) {}

    /** A bucket seeded from examples/ as push-tree does: 1.2.0 is built there, so it is released here. */
    private static Pipeline pipeline(String name) {
        String bucketName = EMULATOR.newVersionedBucket(name);
        BucketStore bucket = S3Stores.open(EMULATOR.s3(), bucketName, "", Clock.systemUTC());
        LocalDirStore checkout = new LocalDirStore(Trees.examples());
        TreeTransfer.pushTree(checkout, bucket);
        assertEquals(List.of("1.2.0"), CheckoutReleases.record(checkout, bucket, Clock.systemUTC()));
        String staging = registry.repository(name + "/staging");
        EmulatorSigning signing;
        try {
            signing = EmulatorSigning.setUp(
                    EMULATOR.ministack(),
                    EMULATOR.s3(),
                    bucketName,
                    java.nio.file.Files.createTempDirectory(shared, "certificates"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Pipeline(
                bucketName, bucket, new PipelineSettings(bucketName, "", staging, PROJECTS), staging, signing);
    }

    private static JsonNode call(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler, Object input)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(input)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static Map<String, Object> generateInput(String execution, String json) throws IOException {
        return Map.of(
                "input",
                JSON.readTree(json),
                "execution",
                Map.of(
                        "id",
                        "arn:aws:states:us-east-1:000000000000:execution:smd-release-release:" + execution,
                        "name",
                        execution));
    }

    /** What each candidate build leaves: a real image in staging, its env.out, test report and candidate record. */
    private static void buildCandidates(Pipeline p, JsonNode plan, long seed) throws Exception {
        for (JsonNode build : plan.get("builds")) {
            String type = build.get("imageType").asText();
            String dir = "incoming/" + plan.get("runId").asText() + "/" + type;
            String tag = build.get("candidateTag").asText();
            var image =
                    TestImages.writeImage(shared.resolve("oci-" + type + seed), "img", seed + type.hashCode(), 2048);
            TestImages.push(image, p.staging(), tag);
            // a patch rebuild: the base's packages, numpy one patch up (the regression gate compares them)
            String envOut = Trees.read(Trees.examples().resolve("build_artifacts/v1/v1.2/v1.2.0/" + type + ".env.out"))
                    .replace("numpy-1.26.4-", "numpy-1.26.5-");
            p.bucket().write(dir + "/" + type + ".env.out", envOut.getBytes(StandardCharsets.UTF_8));
            p.bucket()
                    .write(
                            dir + "/test-report-" + type + ".json",
                            JSON.writeValueAsBytes(Map.of(
                                    "imageType",
                                    type,
                                    "skipTests",
                                    false,
                                    "cases",
                                    List.of(Map.of("name", "numpy.test.Dockerfile", "result", "passed")))));
            p.bucket()
                    .write(
                            dir + "/candidate-" + type + ".json",
                            JSON.writeValueAsBytes(Map.of(
                                    "imageType",
                                    type,
                                    "repository",
                                    p.staging(),
                                    "tag",
                                    tag,
                                    "digest",
                                    image.digest(),
                                    "pushedAt",
                                    "2026-12-02T10:00:00Z")));
        }
    }

    @Test
    void generate_gates_promote_finalize_releaseTheTestedDigests_andARetriedGenerateAcceptsItsOwnVersion()
            throws Exception {
        Pipeline p = pipeline("handlers");
        List<String> releases = List.of(registry.repository("handlers/a"), registry.repository("handlers/b"));
        String input = "{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\",\"targetEcrRepos\":"
                + JSON.writeValueAsString(releases) + "}";
        GenerateHandler generate = new GenerateHandler(p.settings(), p.bucket(), Clock.systemUTC());

        JsonNode plan = call(generate, generateInput("e1", input));
        assertEquals("1.2.1", plan.get("targetVersion").asText());
        assertEquals("1.2.0", plan.get("sourceVersion").asText(), "latest: the release push-tree recorded");
        JsonNode retried = call(generate, generateInput("e1", input));
        assertEquals("1.2.1", retried.get("targetVersion").asText(), "a retry of the same execution goes on");
        assertThrows(
                VersionExistsException.class,
                () -> call(generate, generateInput("e2", input)),
                "another execution does not take the version over");

        buildCandidates(p, plan, 7);
        GatesHandler gatesHandler = new GatesHandler(
                p.bucket(),
                () -> null,
                List.of(),
                () -> {
                    throw new AssertionError("no cveGate, no scanner");
                },
                ScanWait.DEFAULT,
                () -> new OciRegistryClient(EcrRegistryCredentials.fromEnvironment(Map.of()), RetryPolicy.DEFAULT),
                p.signing()::signer,
                Clock.systemUTC());
        JsonNode gates = call(gatesHandler, Map.of("plan", plan));
        assertEquals(6, gates.get("results").size(), "regression, tests and variant for gpu and cpu: " + gates);
        assertEquals("regression", gates.at("/results/0/gate").asText(), "what got worse leads: " + gates);
        assertEquals("PASSED", gates.at("/results/0/status").asText(), gates.toString());
        var client = new OciRegistryClient(EcrRegistryCredentials.fromEnvironment(Map.of()), RetryPolicy.DEFAULT);
        JsonNode promotion = call(
                new PromoteHandler(p.bucket(), client, p.signing()::trust, Clock.systemUTC()), Map.of("plan", plan));
        JsonNode summary =
                call(new FinalizeHandler(p.bucket(), Clock.systemUTC()), Map.of("plan", plan, "promotion", promotion));

        assertEquals(
                "s3://" + p.bucketName() + "/build_artifacts/v1/v1.2/v1.2.1/release.json",
                summary.get("releaseJson").asText());
        for (String type : List.of("cpu", "gpu")) {
            String digest = summary.at("/images/" + type + "/stagedDigest").asText();
            for (String repo : releases) {
                for (String tag : List.of("1.2.1-", "1.2-", "1-", "latest-")) {
                    assertEquals(digest, client.digestOf(repo, tag + type).orElseThrow(), repo + ":" + tag + type);
                }
                // the signature Signer made and the SBOM, beside the image in every repository, verified there
                String signature =
                        summary.at("/images/" + type + "/signature/manifest").asText();
                NotationSignatures.verify(
                        client.readReferrer(repo, signature),
                        client.describe(repo, digest),
                        p.signing().trust(),
                        JSON.convertValue(
                                summary.at("/images/" + type + "/signature/provenance"),
                                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {}),
                        java.time.Instant.now());
                assertEquals(
                        digest,
                        client.readReferrer(
                                        repo,
                                        summary.at("/images/" + type + "/sbom/manifest")
                                                .asText())
                                .subject()
                                .digest());
            }
        }
        assertEquals("1.2.1", new VersionCatalog(p.bucket()).resolveBase("latest"));
    }

    @Test
    void aFailedRelease_isNeverLatest_andItsFailureIsRecordedWhereTheCauseSays() throws Exception {
        Pipeline p = pipeline("failed");
        GenerateHandler generate = new GenerateHandler(p.settings(), p.bucket(), Clock.systemUTC());
        JsonNode plan =
                call(generate, generateInput("f1", "{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\"}"));
        assertEquals("1.2.1", plan.get("targetVersion").asText());
        // its builds fail: no candidate, no release.json
        JsonNode described = call(
                new FailureHandler(p.bucket(), Clock.systemUTC()),
                Map.of(
                        "stage", "Build candidates",
                        "error", Map.of("Error", "BuildFailed", "Cause", "see the failed builds"),
                        "state",
                                Map.of(
                                        "plan",
                                        plan,
                                        "check",
                                        Map.of(
                                                "failures",
                                                List.of(Map.of(
                                                        "imageType",
                                                        "gpu",
                                                        "error",
                                                        "States.TaskFailed",
                                                        "cause",
                                                        "exit 1")))),
                        "execution", Map.of("id", "arn:f1", "name", "f1")));
        assertEquals(
                "Build candidates failed [gpu]: BuildFailed",
                described.get("error").asText());
        assertTrue(p.bucket().exists("build_artifacts/v1/v1.2/v1.2.1/failure.json"));
        assertTrue(described
                .get("cause")
                .asText()
                .contains("s3://" + p.bucketName() + "/build_artifacts/v1/v1.2/v1.2.1/failure.json"));

        assertEquals(
                "1.2.0",
                new VersionCatalog(p.bucket()).resolveBase("latest"),
                "a generated version whose builds failed is not released");
        JsonNode next =
                call(generate, generateInput("f2", "{\"releaseType\":\"minor\",\"basePatchVersion\":\"latest\"}"));
        assertEquals("1.3.0", next.get("targetVersion").asText());
        assertEquals("1.2.0", next.get("sourceVersion").asText());
        String envIn = new String(
                p.bucket().read("build_artifacts/v1/v1.3/v1.3.0/cpu.env.in").orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(envIn.contains("[version='>="), "bounds from the released base's env.out: " + envIn);
        assertFalse(p.bucket().exists("build_artifacts/v1/v1.2/v1.2.1/release.json"));
    }
}
