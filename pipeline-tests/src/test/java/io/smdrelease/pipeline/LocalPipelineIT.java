package io.smdrelease.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.pipeline.UserShell.Run;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.Trees;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * scripts/local-pipeline.sh as a release engineer uses it: {@code up}; a release started with {@code smd-release
 * release start} and followed with {@code release watch} to success, its images built, tested and pushed to staging by
 * the real build scripts (buildah, podman) and promoted to the stack's release repository in the emulator's ECR; a
 * build that fails for real failing the execution at Build candidates naming its image type; one nightly execution
 * (candidates only); {@code down}, after which none of its processes and ports is left.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPT = Trees.repoDir().resolve("scripts/local-pipeline.sh");
    private static final Path CLI = Trees.repoDir().resolve("bin/smd-release");
    private static final List<String> TYPES = List.of("gpu", "cpu");
    private static final Pattern EXECUTION = Pattern.compile("execution\\s+(arn:aws:states:\\S+)");

    private static Path state;
    private static UserShell shell;
    /** The variables of the env file up wrote: AWS settings, SMD_STORE, SMD_REPO, SMD_NIGHTLY_ARN. */
    private static Map<String, String> env;

    private static S3Client s3;
    private static EcrClient ecr;
    private static SfnClient sfn;
    private static String bucket;

    @BeforeAll
    static void up() throws Exception {
        LocalRegistry.requireTools(
                "buildah", "podman", "skopeo", "jq", "aws", "node", "npm", "python3", "curl", "setsid", "busybox");
        MiniStack.ensureInstalled(); // the pinned version in .venv, as up would install it
        state = Files.createTempDirectory("local-pipeline-it").resolve("state");
        shell = new UserShell(Trees.repoDir(), Map.of("SMD_LOCAL_PIPELINE_DIR", state.toString()));
        Run up = shell.run(Map.of(), 600, SCRIPT.toString(), "up");
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("CodeBuild       NOT emulated"), up.output());
        assertTrue(up.output().contains("source " + state.resolve("env")), up.output());
        System.out.printf("[bench] local-pipeline.sh up: %d ms%n", up.took().toMillis());
        env = UserShell.readEnv(state.resolve("env"));
        URI endpoint = URI.create(env.get("AWS_ENDPOINT_URL"));
        assertEquals("127.0.0.1", endpoint.getHost());
        s3 = MiniStack.s3(endpoint);
        ecr = client(EcrClient.builder(), endpoint);
        sfn = client(SfnClient.builder(), endpoint);
        bucket = env.get("SMD_STORE").substring("s3://".length());
    }

    @AfterAll
    static void downIfStillUp() throws Exception {
        if (state != null && Files.exists(state)) {
            shell.run(Map.of(), 120, SCRIPT.toString(), "down");
        }
        for (AutoCloseable c : new AutoCloseable[] {s3, ecr, sfn}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    @Order(1)
    void aRelease_startedAndWatchedWithTheCli_isBuiltTestedStagedAndPromotedForReal() throws Exception {
        Instant started = Instant.now();
        Run start = shell.run(
                env,
                120,
                CLI.toString(),
                "release",
                "start",
                "--release-type",
                "patch",
                "--base-patch-version",
                "latest",
                "--target-ecr-repo",
                env.get("SMD_REPO"),
                "--store",
                env.get("SMD_STORE"));
        assertEquals(0, start.exit(), start.output());
        Matcher arn = EXECUTION.matcher(start.output());
        assertTrue(arn.find(), start.output());

        Run watch = shell.run(env, 600, CLI.toString(), "release", "watch", arn.group(1));
        assertEquals(0, watch.exit(), watch.output());
        assertTrue(watch.output().contains("Released 1.2.1"), watch.output());
        Instant firstStage = watch.firstLine("start [1] Generate artifacts");
        assertNotNull(firstStage, watch.output());
        DescribeExecutionResponse execution = sfn.describeExecution(b -> b.executionArn(arn.group(1)));
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status());

        String dir = "build_artifacts/v1/v1.2/v1.2.1";
        JsonNode record = readJson(dir + "/release.json");
        Map<String, String> released = tags("sagemaker-distribution");
        Map<String, String> staged = tags("smd-release-staging");
        for (String type : TYPES) {
            JsonNode candidate = readJson(dir + "/candidate-" + type + ".json");
            String digest = candidate.get("digest").asText();
            // built and pushed by push.sh to the stack's staging repository, at the emulator's registry endpoint
            assertEquals(
                    env.get("SMD_REPO").replace("sagemaker-distribution", "smd-release-staging"),
                    candidate.get("repository").asText());
            assertEquals(digest, staged.get(candidate.get("tag").asText()), "the candidate is in staging");
            // tested by run-tests.sh: the distribution's cases ran against the built image
            JsonNode report = readJson(dir + "/test-report-" + type + ".json");
            assertEquals(2, report.at("/summary/passed").asInt(), report.toString());
            assertEquals(0, report.at("/summary/failed").asInt(), report.toString());
            // solved by the stand-in from its channel, written back by export-env.sh
            assertTrue(read(dir + "/" + type + ".env.out").contains("/jupyterlab-4.2.5-"), type);
            for (String tag : List.of("1.2.1-", "1.2-", "1-", "latest-")) {
                assertEquals(digest, released.get(tag + type), tag + type);
            }
            assertEquals(digest, record.at("/images/" + type + "/stagedDigest").asText());
        }
        Duration endToEnd = Duration.between(started, watch.ended());
        System.out.printf(
                "[bench] local release 1.2.1 (2 image types built, tested, staged and promoted by the real scripts):"
                        + " release start to the first stage shown by watch %d ms; end to end %d ms (execution %d"
                        + " ms)%n",
                Duration.between(started, firstStage).toMillis(),
                endToEnd.toMillis(),
                Duration.between(execution.startDate(), execution.stopDate()).toMillis());
    }

    @Test
    @Order(2)
    void aBuildThatFailsForReal_failsTheExecutionAtBuildCandidates_namingItsImageType() throws Exception {
        // a package the channel does not have: the cpu image's solve fails in build-image.sh, the gpu build succeeds
        Path additional = Files.writeString(
                state.getParent().resolve("cpu.additional_packages_env.in"), "conda-forge::not-in-the-channel\n");
        Run copy = shell.run(
                env,
                60,
                "aws",
                "s3",
                "cp",
                additional.toString(),
                env.get("SMD_STORE") + "/build_artifacts/v1/v1.2/v1.2.2/cpu.additional_packages_env.in");
        assertEquals(0, copy.exit(), copy.output());
        Run start = shell.run(
                env,
                600,
                CLI.toString(),
                "release",
                "start",
                "--release-type",
                "patch",
                "--base-patch-version",
                "latest",
                "--target-ecr-repo",
                env.get("SMD_REPO"),
                "--store",
                env.get("SMD_STORE"),
                "--watch");
        assertEquals(3, start.exit(), start.output());
        assertTrue(
                start.output().contains("Release failed: Build candidates failed [cpu]: BuildFailed"), start.output());
        assertTrue(
                start.output().contains("the cpu build failed in build-image (exit 1): ")
                        && start.output().contains("nothing provides requested not-in-the-channel"),
                start.output());
        JsonNode failure = readJson("build_artifacts/v1/v1.2/v1.2.2/failure.json");
        assertEquals("Build candidates", failure.get("stage").asText());
        assertEquals("[\"cpu\"]", failure.get("imageTypes").toString());
        assertFalse(tags("sagemaker-distribution").keySet().stream().anyMatch(t -> t.startsWith("1.2.2-")));
    }

    @Test
    @Order(3)
    void theNightly_buildsCandidatesOnly_throughTheSameLocalBuilds() throws Exception {
        // after 1.2.1: its next patch; and the next minor of 1.2.0 (whose next patch, 1.2.1, is released: skipped)
        for (String version : List.of("1.2.1", "1.2.0")) {
            Run schedule = shell.run(
                    env,
                    60,
                    CLI.toString(),
                    "nightly",
                    "add-next-versions",
                    "--version",
                    version,
                    "--store",
                    env.get("SMD_STORE"));
            assertEquals(0, schedule.exit(), schedule.output());
        }
        // 1.2.2 again, from a fresh solve and without the package the channel lacks
        s3.deleteObject(b -> b.bucket(bucket).key("build_artifacts/v1/v1.2/v1.2.2/cpu.additional_packages_env.in"));
        Run nightly = shell.run(
                env,
                60,
                "aws",
                "stepfunctions",
                "start-execution",
                "--state-machine-arn",
                env.get("SMD_NIGHTLY_ARN"),
                "--name",
                "nightly-it",
                "--input",
                "{}");
        assertEquals(0, nightly.exit(), nightly.output());
        String arn = JSON.readTree(nightly.output()).get("executionArn").asText();
        DescribeExecutionResponse done = await(arn, Duration.ofMinutes(8));
        assertEquals(ExecutionStatus.SUCCEEDED, done.status(), done.error() + ": " + done.cause());

        String night = LocalDate.now(ZoneOffset.UTC).toString();
        Map<String, String> staged = tags("smd-release-staging");
        for (String version : List.of("1.2.2", "1.3.0")) {
            String dir = "build_artifacts/v1/v" + version.substring(0, 3) + "/v" + version;
            for (String type : TYPES) {
                JsonNode candidate = readJson(dir + "/candidate-" + type + ".json");
                assertTrue(candidate.get("tag").asText().contains("nightly"), candidate.toString());
                assertEquals(
                        candidate.get("digest").asText(),
                        staged.get(candidate.get("tag").asText()));
            }
            assertFalse(exists(dir + "/release.json"), "a nightly never releases " + version);
        }
        // the minor's additional package is in the cpu image and its image test ran
        assertTrue(read("build_artifacts/v1/v1.3/v1.3.0/cpu.env.out").contains("/polars-1.0.0-"));
        assertEquals(
                3,
                readJson("build_artifacts/v1/v1.3/v1.3.0/test-report-cpu.json")
                        .at("/summary/passed")
                        .asInt());
        assertFalse(tags("sagemaker-distribution").keySet().stream()
                .anyMatch(t -> t.startsWith("1.2.2-") || t.startsWith("1.3")));
        JsonNode results = JSON.readTree(done.output()).get("results");
        assertEquals(2, results.size(), done.output());
        assertTrue(done.output().contains("nightly-patch-1.2.1-" + night), done.output());
        assertTrue(done.output().contains("nightly-minor-1.2.0-" + night), done.output());
        System.out.printf(
                "[bench] local nightly (2 releases x 2 image types, candidates only): %d ms%n",
                Duration.between(done.startDate(), done.stopDate()).toMillis());
    }

    @Test
    @Order(4)
    void down_stopsEverything_andLeavesNoProcessNorPort() throws Exception {
        List<Long> pids = new ArrayList<>();
        for (String line : Files.readAllLines(state.resolve("pids"))) {
            pids.add(Long.parseLong(line.split(" ")[1]));
        }
        int emulatorPort = URI.create(env.get("AWS_ENDPOINT_URL")).getPort();
        int handlerPort = Integer.parseInt(Files.readAllLines(state.resolve("logs/handlers.log")).stream()
                .filter(l -> l.startsWith("ready on "))
                .findFirst()
                .orElseThrow()
                .substring("ready on ".length()));
        assertTrue(listening(emulatorPort) && listening(handlerPort));
        Path runroot = Path.of(Files.readString(state.resolve("runroot")).strip());

        Run down = shell.run(Map.of(), 120, SCRIPT.toString(), "down");
        assertEquals(0, down.exit(), down.output());
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " is left");
            assertTrue(
                    ProcessHandle.allProcesses()
                            .noneMatch(p -> p.parent().map(ProcessHandle::pid).orElse(-1L) == pid),
                    "a child of " + pid + " is left");
        }
        assertFalse(listening(emulatorPort), "the emulator's port " + emulatorPort + " still listens");
        assertFalse(listening(handlerPort), "the handlers' port " + handlerPort + " still listens");
        assertFalse(Files.exists(state), "down deletes " + state);
        assertFalse(Files.exists(runroot), "down deletes the containers' " + runroot);
        assertTrue(
                ProcessHandle.allProcesses()
                        .noneMatch(p -> p.info().commandLine().orElse("").contains(state.toString())
                                || p.info().commandLine().orElse("").contains(runroot.toString())),
                "a process that names " + state + " or " + runroot + " is left");

        Run again = shell.run(Map.of(), 60, SCRIPT.toString(), "down");
        assertEquals(0, again.exit(), again.output());
        assertEquals(3, shell.run(Map.of(), 60, SCRIPT.toString(), "status").exit());
    }

    // ---- helpers ----

    private static <
                    B extends
                            software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
                                    & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>,
                    C>
            C client(B builder, URI endpoint) {
        builder.endpointOverride(endpoint).region(MiniStack.REGION).credentialsProvider(MiniStack.credentials());
        builder.httpClientBuilder(UrlConnectionHttpClient.builder());
        return builder.build();
    }

    private static String read(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    private static boolean exists(String key) {
        return !s3.listObjectsV2(b -> b.bucket(bucket).prefix(key)).contents().isEmpty();
    }

    private static JsonNode readJson(String key) throws IOException {
        return JSON.readTree(read(key));
    }

    /** Tag → manifest digest of a repository in the emulator's ECR. */
    private static Map<String, String> tags(String repository) {
        Map<String, String> tags = new TreeMap<>();
        for (ImageDetail image :
                ecr.describeImagesPaginator(b -> b.repositoryName(repository)).imageDetails()) {
            image.imageTags().forEach(t -> tags.put(t, image.imageDigest()));
        }
        return tags;
    }

    private static DescribeExecutionResponse await(String arn, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            DescribeExecutionResponse described = sfn.describeExecution(b -> b.executionArn(arn));
            if (described.status() != ExecutionStatus.RUNNING) {
                return described;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(arn + " still running after " + limit);
            }
            Thread.sleep(500);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
