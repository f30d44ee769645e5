package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.release.VersionStatuses;
import io.smdrelease.testsupport.JarCli;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.PipelineEmulator;
import io.smdrelease.testsupport.TestImages;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The {@code release} commands of the shaded jar, run as a user runs them (AWS settings in the environment) against
 * the release state machine of {@code statemachine/release.asl.json} in MiniStack with the real handlers, the bucket,
 * CodeBuild builds and their logs in the emulator, and two docker-registries (staging, release) with the real
 * registry client. The executions build on each other's versions: 1.2.1 released, 1.2.1-rc1 failed, 1.2.2 approved,
 * 1.2.3-beta rejected, 1.3.0 promoted from this machine then yanked.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXECUTION = Pattern.compile("execution +(arn:aws:states:\\S+)");

    private static Path work;
    private static PipelineEmulator pipeline;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("release-commands-it");
        pipeline = PipelineEmulator.start(work);
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static JarCli.Run cli(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "release";
        System.arraycopy(args, 0, all, 1, args.length);
        JarCli.Run run = JarCli.run(pipeline.ministack(), work, all);
        System.out.println("$ smd-release release " + String.join(" ", args) + "\n" + run.output());
        return run;
    }

    private static void assertOutput(JarCli.Run run, int exitCode, String... lines) {
        assertEquals(exitCode, run.exitCode(), run.output());
        for (String line : lines) {
            assertTrue(run.output().contains(line), "'" + line + "' in:\n" + run.output());
        }
    }

    private static String executionOf(JarCli.Run run) {
        Matcher m = EXECUTION.matcher(run.output());
        assertTrue(m.find(), run.output());
        return m.group(1);
    }

    private static String digest(String version, String type) {
        byte[] candidate = pipeline.store()
                .read("build_artifacts/v1/v" + version.substring(0, 3) + "/v" + version + "/candidate-" + type
                        + ".json")
                .orElseThrow();
        try {
            return JSON.readTree(candidate).get("digest").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Two successful candidate builds for the next execution of test case HappyPath. */
    private static void buildsSucceed() throws Exception {
        String cpu = pipeline.build("cpu", "[Container] Entering phase BUILD", "cpu: solving environment", "cpu: done");
        String gpu = pipeline.build("gpu", "[Container] Entering phase BUILD", "gpu: cuda 12.9 packages", "gpu: done");
        pipeline.mockBuilds(Map.of("HappyPath", List.of(cpu, gpu)));
    }

    @Test
    @Order(1)
    void start_refusesABadInput_beforeAnyExecutionExists() throws Exception {
        assertOutput(
                cli(
                        "start",
                        "--release-type",
                        "patch",
                        "--base-patch-version",
                        "9.9.9",
                        "--store",
                        pipeline.storeUri(),
                        "--state-machine",
                        pipeline.stateMachineArn()),
                2,
                "9.9.9");
        assertOutput(
                cli(
                        "start",
                        "--release-type",
                        "patch",
                        "--base-patch-version",
                        "1.2.0",
                        "--image-type",
                        "tpu",
                        "--store",
                        pipeline.storeUri(),
                        "--state-machine",
                        pipeline.stateMachineArn()),
                2,
                "--image-type entry 'tpu' is not an image type of 1.2.1");
        assertOutput(
                cli("start", "--release-type", "patch", "--state-machine", pipeline.stateMachineArn()),
                2,
                "--base-patch-version");
        assertEquals(
                0,
                pipeline.sfn()
                        .listExecutions(b -> b.stateMachineArn(pipeline.stateMachineArn()))
                        .executions()
                        .size(),
                "refused before any execution exists");
    }

    @Test
    @Order(2)
    void dryRun_printsWhatWouldBeBuiltAndTheTagsThatMove() throws Exception {
        assertOutput(
                cli(
                        "start",
                        "--release-type",
                        "patch",
                        "--base-patch-version",
                        "1.2.0",
                        "--target-ecr-repo",
                        pipeline.releaseRepository(),
                        "--store",
                        pipeline.storeUri(),
                        "--dry-run"),
                0,
                "Dry run: no execution started.",
                "Release:  1.2.1 (release, from 1.2.0, new version)",
                "Images:   gpu, cpu",
                "Tags:     cpu  1.2.1-cpu; moves 1.2-cpu 1-cpu latest-cpu",
                "Name:     patch-1.2.1-from-1.2.0-");
        assertTrue(
                pipeline.store()
                        .read("build_artifacts/v1/v1.2/v1.2.1/cpu.env.in")
                        .isEmpty(),
                "nothing written");
    }

    @Test
    @Order(3)
    void startAndWatch_aReleaseToSuccess() throws Exception {
        buildsSucceed();
        JarCli.Run run = cli(
                "start",
                "--release-type",
                "patch",
                "--base-patch-version",
                "1.2.0",
                "--target-ecr-repo",
                pipeline.releaseRepository(),
                "--store",
                pipeline.storeUri(),
                "--state-machine",
                pipeline.stateMachineArn("HappyPath"),
                "--watch",
                "--interval",
                "1");
        assertOutput(
                run,
                0,
                "Started patch-1.2.1-from-1.2.0-",
                "Watch it:    smd-release release watch arn:aws:states:",
                "start [1] Generate artifacts",
                "1.2.1 from 1.2.0, image types gpu, cpu (RELEASE)",
                "start [2/5] Build candidates",
                "cpu build SUCCEEDED",
                "gpu | gpu: cuda 12.9 packages",
                "PASSED tests [cpu]",
                "done  [5/5] Finalize release",
                "Released 1.2.1: s3://",
                "API calls: ");
        assertEquals(digest("1.2.1", "cpu"), TestImages.remoteDigest(pipeline.releaseRepository(), "latest-cpu"));
        assertEquals(digest("1.2.1", "gpu"), TestImages.remoteDigest(pipeline.releaseRepository(), "1.2.1-gpu"));
    }

    @Test
    @Order(4)
    void aFailedRelease_watchPrintsTheFailedTypeTheCauseAndTheNextStep() throws Exception {
        String gpu = pipeline.build(
                "gpu", "[Container] Entering phase BUILD", "LibMambaUnsatisfiableError: nothing provides cuda");
        pipeline.stop(gpu);
        pipeline.mockBuilds(Map.of("GpuFails", List.of("!" + gpu)));
        JarCli.Run started = cli(
                "start",
                "--release-type",
                "patch",
                "--base-patch-version",
                "1.2.0",
                "--pre-release-identifier",
                "rc1",
                "--image-type",
                "gpu",
                "--state-machine",
                pipeline.stateMachineArn("GpuFails"));
        assertOutput(started, 0, "Started patch-1.2.1-rc1-from-1.2.0-");
        assertOutput(
                cli("watch", executionOf(started), "--interval", "1"),
                3,
                "fail  [2/5] Build candidates",
                "gpu build failed: States.TaskFailed",
                "gpu build STOPPED",
                "gpu | LibMambaUnsatisfiableError: nothing provides cuda",
                "Release failed: Build candidates failed [gpu]: BuildFailed",
                "Cause: the gpu build failed",
                "Next step: read the failed build's CodeBuild log; once fixed, build the candidates again");
    }

    @Test
    @Order(5)
    void approveAndReject_answerTheWaitingReleaseWithItsTaskToken() throws Exception {
        buildsSucceed();
        assertOutput(
                cli(
                        "start",
                        "--release-type",
                        "patch",
                        "--base-patch-version",
                        "1.2.1",
                        "--candidate-only",
                        "--state-machine",
                        pipeline.stateMachineArn("HappyPath"),
                        "--watch",
                        "--interval",
                        "1"),
                0,
                "Candidates of 1.2.2 are gated; nothing was promoted.");
        String approved = awaitApproval("1.2.2");
        assertOutput(
                cli("status", "1.2.2", "--store", pipeline.storeUri()), 0, "1.2.2: gated", "approval    waiting since");
        assertOutput(
                cli("approve", "--target-patch-version", "1.2.2", "--store", pipeline.storeUri()),
                0,
                "Approved 1.2.2 (execution " + approved + ")");
        assertOutput(cli("watch", "--latest", "--interval", "1"), 0, "start [3/5] Wait for approval", "Released 1.2.2");
        assertEquals(digest("1.2.2", "cpu"), TestImages.remoteDigest(pipeline.releaseRepository(), "latest-cpu"));

        buildsSucceed();
        assertOutput(
                cli(
                        "start",
                        "--release-type",
                        "patch",
                        "--base-patch-version",
                        "1.2.2",
                        "--pre-release-identifier",
                        "beta",
                        "--candidate-only",
                        "--state-machine",
                        pipeline.stateMachineArn("HappyPath"),
                        "--watch",
                        "--interval",
                        "1"),
                0,
                "Candidates of 1.2.3-beta are gated");
        String rejected = awaitApproval("1.2.3-beta");
        assertOutput(
                cli(
                        "reject",
                        "--target-patch-version",
                        "1.2.3-beta",
                        "--reason",
                        "numpy regressed",
                        "--store",
                        pipeline.storeUri()),
                0,
                "Rejected 1.2.3-beta");
        assertOutput(
                cli("watch", rejected, "--interval", "1"),
                3,
                "Release failed: Wait for approval failed: ApprovalRejected",
                "numpy regressed (rejected by cli:",
                "Next step: the release was rejected; no alias moved");
        assertOutput(
                cli("approve", "--target-patch-version", "1.2.2", "--store", pipeline.storeUri()),
                2,
                "1.2.2 is released already");
    }

    /** Starts a promotion that waits for approval (the state machine found by name) and waits for its request. */
    private static String awaitApproval(String version) throws Exception {
        JarCli.Run started = cli(
                "start",
                "--target-patch-version",
                version,
                "--promote",
                "--approval",
                "--target-ecr-repo",
                pipeline.releaseRepository());
        assertOutput(started, 0, "Started promote-" + version + "-");
        String path = ImageVersions.versionDir(SemVer.parseImageVersion(version)) + "/approval.json";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pipeline.store().read(path).isEmpty()) {
            if (System.nanoTime() > deadline) {
                var execution = pipeline.sfn().describeExecution(b -> b.executionArn(executionOf(started)));
                throw new AssertionError(path + " was not written within 60 s; the execution is " + execution.status()
                        + ": " + execution.error() + " " + execution.cause());
            }
            Thread.sleep(200);
        }
        JsonNode request = JSON.readTree(pipeline.store().read(path).orElseThrow());
        assertEquals(executionOf(started), request.get("execution").asText());
        return executionOf(started);
    }

    @Test
    @Order(6)
    void promoteRollbackAndYank_fromThisMachine() throws Exception {
        buildsSucceed();
        assertOutput(
                cli(
                        "start",
                        "--release-type",
                        "minor",
                        "--base-patch-version",
                        "1.2.2",
                        "--candidate-only",
                        "--state-machine",
                        pipeline.stateMachineArn("HappyPath"),
                        "--watch",
                        "--interval",
                        "1"),
                0,
                "Candidates of 1.3.0 are gated");
        String repo = pipeline.releaseRepository();
        assertOutput(
                cli(
                        "promote",
                        "--target-patch-version",
                        "1.3.0",
                        "--target-ecr-repo",
                        repo,
                        "--store",
                        pipeline.storeUri(),
                        "--signing-certificate-arn",
                        pipeline.signingCertificateArn()),
                0,
                "promoted " + repo + ":1.3.0-cpu",
                "moved    " + repo + ":latest-cpu",
                "Released 1.3.0: s3://");
        assertEquals(digest("1.3.0", "cpu"), TestImages.remoteDigest(repo, "latest-cpu"));
        JarCli.Run again = cli(
                "promote",
                "--target-patch-version",
                "1.3.0",
                "--target-ecr-repo",
                repo,
                "--via-pipeline",
                "--state-machine",
                pipeline.stateMachineArn());
        assertOutput(again, 0, "Started promote-1.3.0-", "\"promote\":true");
        assertOutput(cli("watch", executionOf(again), "--interval", "1"), 0, "(PROMOTE)", "Released 1.3.0");

        assertOutput(
                cli("rollback", "--alias", "latest-cpu", "--to", "1.2.2", "--store", pipeline.storeUri()),
                0,
                "Rolled latest-cpu back to 1.2.2");
        assertEquals(digest("1.2.2", "cpu"), TestImages.remoteDigest(repo, "latest-cpu"));

        String queueUrl;
        String topicArn;
        try (SnsClient sns = SnsClient.builder()
                        .endpointOverride(pipeline.ministack().endpoint())
                        .region(pipeline.ministack().region())
                        .credentialsProvider(MiniStack.credentials())
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .build();
                SqsClient sqs = SqsClient.builder()
                        .endpointOverride(pipeline.ministack().endpoint())
                        .region(pipeline.ministack().region())
                        .credentialsProvider(MiniStack.credentials())
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .build()) {
            topicArn = sns.createTopic(b -> b.name("smd-release-yanks")).topicArn();
            queueUrl = sqs.createQueue(b -> b.queueName("yank-watch")).queueUrl();
            String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                    .attributesAsStrings()
                    .get("QueueArn");
            sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
            assertOutput(
                    cli(
                            "yank",
                            "1.3.0",
                            "--reason",
                            "broken numpy",
                            "--notify-topic",
                            topicArn,
                            "--store",
                            pipeline.storeUri()),
                    0,
                    "Yanked 1.3.0: broken numpy",
                    "Notified " + topicArn);
            String delivered = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5)).messages().stream()
                    .map(m -> m.body())
                    .reduce("", String::concat);
            assertTrue(
                    delivered.contains("Release 1.3.0 was yanked") && delivered.contains("broken numpy"),
                    "the notification: " + delivered);
        }
        assertEquals(digest("1.2.2", "gpu"), TestImages.remoteDigest(repo, "latest-gpu"), "aliases left 1.3.0");
        assertEquals(digest("1.3.0", "gpu"), TestImages.remoteDigest(repo, "1.3.0-gpu"), "its version tag stays");
    }

    @Test
    @Order(7)
    void listAndStatus_showEveryVersionsState() throws Exception {
        assertEquals(
                0,
                JarCli.run(
                                pipeline.ministack(),
                                work,
                                "create-patch-version-artifacts",
                                "--base-patch-version",
                                "1.2.2",
                                "--pre-release-identifier",
                                "rc2",
                                "--store",
                                pipeline.storeUri())
                        .exitCode());
        pipeline.store()
                .write(
                        ImageVersions.versionDir(VersionStatuses.exactly("1.2.3-rc2")) + "/candidate-cpu.json",
                        ("{\"imageType\":\"cpu\",\"repository\":\"" + pipeline.releaseRepository() + "\",\"tag\":\"c\","
                                        + "\"digest\":\"sha256:" + "c".repeat(64)
                                        + "\",\"pushedAt\":\"2030-01-01T00:00:00Z\"}")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JarCli.Run list = cli("list", "--store", pipeline.storeUri());
        assertEquals(0, list.exitCode(), list.output());
        for (String[] row : new String[][] {
            {"1.3.0", "yanked"},
            {"1.2.3-rc2", "candidate"},
            {"1.2.3-beta", "failed"},
            {"1.2.2", "released"},
            {"1.2.1", "released"},
            {"1.2.1-rc1", "failed"},
            {"1.2.0", "generated"}
        }) {
            assertTrue(
                    list.output().matches("(?s).*\\n" + Pattern.quote(row[0]) + " +" + row[1] + " .*"),
                    row[0] + " " + row[1] + " in\n" + list.output());
        }
        assertOutput(
                cli("status", "1.2.2", "--store", pipeline.storeUri()),
                0,
                "1.2.2: released since",
                "candidate   cpu  ",
                "PASSED  tests [cpu]",
                "release     s3://smd-release-artifacts/build_artifacts/v1/v1.2/v1.2.2/release.json",
                "image       cpu  " + digest("1.2.2", "cpu") + "  " + pipeline.releaseRepository() + ": 1.2.2-cpu",
                "signature   cpu  sha256:",
                "by certificate sha256:",
                "sbom        cpu  sha256:");
        assertOutput(cli("status", "1.3.0", "--store", pipeline.storeUri()), 0, "yanked      ", "broken numpy");
        assertOutput(cli("status", "7.7.7", "--store", pipeline.storeUri()), 2, "no version 7.7.7");
    }
}
