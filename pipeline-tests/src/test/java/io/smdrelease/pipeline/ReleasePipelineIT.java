package io.smdrelease.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.lambda.FinalizeHandler;
import io.smdrelease.lambda.GenerateHandler;
import io.smdrelease.lambda.NightlyPlanHandler;
import io.smdrelease.lambda.PipelineSettings;
import io.smdrelease.lambda.SizeGateHandler;
import io.smdrelease.nightly.NightlySchedule;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.store.TreeTransfer;
import io.smdrelease.testsupport.EcrImages;
import io.smdrelease.testsupport.LambdaProxyServer;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The release pipeline deployed to MiniStack with the CDK CLI from the stack's own code, executed for real: the Lambda
 * tasks reach the real handlers served by this JVM (MiniStack's Lambda proxy mode), and the CodeBuild task is answered
 * by MiniStack's Step Functions mock config (no emulator runs CodeBuild). What the mocked builds would upload (env.out
 * files and push reports) is written by this test just before Finalize runs, as the real buildspec would have.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the executions build on each other's versions in one bucket
class ReleasePipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "smd-release";
    private static final String STATE_MACHINE = PREFIX + "-release";
    private static final String REPO = "127.0.0.1:5999/sagemaker-distribution";
    private static final String DIGEST = "sha256:" + "5e".repeat(32);

    private static LambdaProxyServer lambdas;
    private static MiniStack ministack;
    private static S3Client s3;
    private static SfnClient sfn;
    private static BucketStore bucket;
    private static String bucketName;
    private static String stateMachineArn;
    private static String nightlyStateMachineArn;
    private static Duration deployTime;
    private static EcrClient ecr;
    /** The private ECR repository the size gate reads (in MiniStack's ECR) and the channel index it reads. */
    private static final String STAGING = "size-gate-staging";

    private static final String STAGING_URI = MiniStack.ACCOUNT_ID + ".dkr.ecr.us-east-1.amazonaws.com/" + STAGING;
    private static final String BIG_PACKAGE = "https://conda.anaconda.org/conda-forge/linux-64/bigpkg-1.0-h0_0.conda"
            + "#00000000000000000000000000000000";
    private static final long BIG_PACKAGE_SIZE = 500_000;
    /** The size gate compares new packages with all of an image's conda packages: python is the rest of them. */
    private static final long PYTHON_SIZE = 12_000_000;

    private static final long BIG_PACKAGE2_SIZE = 3_000_000;
    /** What the next mocked builds do: add a package to the target's env.out, push images of this size to STAGING. */
    private static volatile String extraEnvOutLine;

    private static volatile int pushedImageSize;

    @BeforeAll
    static void deploy() throws Exception {
        lambdas = new LambdaProxyServer();
        Path mockConfig = Files.createTempFile("sfn-mock-config", ".json");
        Files.writeString(mockConfig, MOCK_CONFIG);
        ministack = MiniStack.start(Map.of(
                "SFN_MOCK_CONFIG",
                mockConfig.toString(),
                "MINISTACK_LAMBDA_PROXY_" + PREFIX + "-generate",
                lambdas.url("/generate"),
                "MINISTACK_LAMBDA_PROXY_" + PREFIX + "-finalize",
                lambdas.url("/finalize"),
                "MINISTACK_LAMBDA_PROXY_" + PREFIX + "-nightly-plan",
                lambdas.url("/nightly-plan"),
                "MINISTACK_LAMBDA_PROXY_" + PREFIX + "-size-gate",
                lambdas.url("/size-gate")));
        s3 = ministack.s3();
        sfn = SfnClient.builder()
                .endpointOverride(ministack.endpoint())
                .region(ministack.region())
                .credentialsProvider(MiniStack.credentials())
                .build();

        Instant start = Instant.now();
        Map<String, String> outputs = CdkCli.deploy(ministack);
        deployTime = Duration.between(start, Instant.now());
        stateMachineArn = outputs.get("StateMachineArn");
        nightlyStateMachineArn = outputs.get("NightlyStateMachineArn");
        bucketName = outputs.get("ArtifactBucketName");
        assertTrue(stateMachineArn.endsWith(":stateMachine:" + STATE_MACHINE), stateMachineArn);

        bucket = S3Stores.open(s3, bucketName, "", Clock.systemUTC());
        TreeTransfer.pushTree(new LocalDirStore(Trees.examples()), bucket);
        PipelineSettings settings = new PipelineSettings(
                bucketName,
                "",
                Map.of("CPU_BUILD_PROJECT", PREFIX + "-build-cpu", "GPU_BUILD_PROJECT", PREFIX + "-build-gpu"));
        lambdas.route("/generate", () -> new GenerateHandler(settings, bucket));
        lambdas.route("/nightly-plan", () -> new NightlyPlanHandler(bucket, Clock.systemUTC(), List.of(REPO)));
        ecr = EcrClient.builder()
                .endpointOverride(ministack.endpoint())
                .region(ministack.region())
                .credentialsProvider(MiniStack.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        ecr.createRepository(r -> r.repositoryName(STAGING));
        Path repodata = Files.createTempFile("repodata", ".json");
        Files.writeString(
                repodata,
                "{\"info\":{\"subdir\":\"linux-64\"},\"packages\":{},\"packages.conda\":{"
                        + "\"python-3.12.4-h194c7f8_0_cpython.conda\":{\"name\":\"python\",\"version\":\"3.12.4\","
                        + "\"build\":\"h194c7f8_0_cpython\",\"build_number\":0,\"depends\":[],\"subdir\":\"linux-64\","
                        + "\"size\":" + PYTHON_SIZE + "},"
                        + "\"bigpkg-1.0-h0_0.conda\":{\"name\":\"bigpkg\",\"version\":\"1.0\",\"build\":\"h0_0\","
                        + "\"build_number\":0,\"depends\":[],\"subdir\":\"linux-64\",\"size\":" + BIG_PACKAGE_SIZE
                        + "},"
                        + "\"bigpkg2-1.0-h0_0.conda\":{\"name\":\"bigpkg2\",\"version\":\"1.0\",\"build\":\"h0_0\","
                        + "\"build_number\":0,\"depends\":[],\"subdir\":\"linux-64\",\"size\":" + BIG_PACKAGE2_SIZE
                        + "}}}");
        SizeGateHandler sizeGate = new SizeGateHandler(
                bucket,
                region -> EcrClient.builder()
                        .endpointOverride(ministack.endpoint())
                        .region(Region.of(region))
                        .credentialsProvider(MiniStack.credentials())
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .build(),
                List.of(repodata.toString()));
        lambdas.route("/size-gate", () -> (in, out, context) -> {
            JsonNode input = JSON.readTree(in);
            writeWhatTheBuildsUpload(input.get("plan"));
            sizeGate.handleRequest(new java.io.ByteArrayInputStream(JSON.writeValueAsBytes(input)), out, context);
        });
        FinalizeHandler finalizer = new FinalizeHandler(settings, bucket, Clock.systemUTC());
        lambdas.route("/finalize", () -> (in, out, context) -> {
            JsonNode input = JSON.readTree(in);
            writeWhatTheBuildsUpload(input.get("plan"));
            finalizer.handleRequest(new java.io.ByteArrayInputStream(JSON.writeValueAsBytes(input)), out, context);
        });
    }

    @AfterAll
    static void stop() {
        if (ecr != null) {
            ecr.close();
        }
        if (sfn != null) {
            sfn.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (ministack != null) {
            ministack.close();
        }
        if (lambdas != null) {
            lambdas.close();
        }
    }

    /**
     * The env.out files and push reports the two CodeBuild builds upload (their builds are mocked), and, when a test
     * asks for it, the images they push to the staging repository.
     */
    static void writeWhatTheBuildsUpload(JsonNode plan) throws IOException {
        String dir = plan.get("artifactPrefix").asText();
        String base = "build_artifacts/v1/v1.2/v1.2.0";
        for (JsonNode build : plan.get("builds")) {
            String type = build.get("imageType").asText();
            String envOut = Trees.read(Trees.examples().resolve(base + "/" + type + ".env.out"))
                    .replace("numpy-1.26.4-", "numpy-1.26.5-");
            if (extraEnvOutLine != null) {
                envOut = envOut + extraEnvOutLine + "\n";
            }
            bucket.write(dir + "/" + type + ".env.out", envOut.getBytes(StandardCharsets.UTF_8));
            if (pushedImageSize > 0) {
                EcrImages.put(ecr, STAGING, plan.get("targetVersion").asText() + "-" + type, pushedImageSize);
            }
            ObjectNode report = JSON.createObjectNode().put("imageType", type);
            for (JsonNode repo : plan.get("targetEcrRepos")) {
                ObjectNode entry =
                        report.with("repositories").putObject(repo.asText()).put("status", "pushed");
                build.get("tags").forEach(tag -> entry.with("tags").put(tag.asText(), DIGEST));
            }
            bucket.write(dir + "/push-report-" + type + ".json", JSON.writeValueAsBytes(report));
        }
    }

    record Run(DescribeExecutionResponse execution, List<HistoryEvent> history) {
        JsonNode output() throws IOException {
            return JSON.readTree(execution.output());
        }
    }

    static Run execute(String testCase, String name, String input) throws InterruptedException {
        String arn = sfn.startExecution(b -> b.stateMachineArn(stateMachineArn + "#" + testCase)
                        .name(name)
                        .input(input))
                .executionArn();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        DescribeExecutionResponse described;
        do {
            Thread.sleep(200);
            described = sfn.describeExecution(b -> b.executionArn(arn));
            if (System.nanoTime() > deadline) {
                throw new AssertionError("execution " + name + " still " + described.status() + " after 120 s");
            }
        } while (described.status() == ExecutionStatus.RUNNING);
        List<HistoryEvent> history = new ArrayList<>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn)).events().forEach(history::add);
        return new Run(described, history);
    }

    static Map<String, String> snapshot() {
        Map<String, String> out = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucketName)).contents()) {
            out.put(o.key(), o.eTag());
        }
        return out;
    }

    /** The inputs of the task states named {@code state}, as the history records them. */
    static List<String> stateInputs(Run run, String state) {
        List<String> out = new ArrayList<>();
        for (HistoryEvent event : run.history()) {
            if (event.stateEnteredEventDetails() != null
                    && state.equals(event.stateEnteredEventDetails().name())) {
                out.add(event.stateEnteredEventDetails().input());
            }
        }
        return out;
    }

    /** The parameters of the tasks whose resource contains {@code resource}, as scheduled (history). */
    static List<String> taskParameters(Run run, String resource) {
        List<String> out = new ArrayList<>();
        for (HistoryEvent event : run.history()) {
            if (event.taskScheduledEventDetails() != null
                    && event.taskScheduledEventDetails().resource().contains(resource)) {
                out.add(event.taskScheduledEventDetails().parameters());
            }
        }
        return out;
    }

    static String eventSummary(Run run) {
        StringBuilder out = new StringBuilder();
        for (HistoryEvent event : run.history()) {
            out.append(event.typeAsString());
            if (event.stateEnteredEventDetails() != null) {
                out.append('(').append(event.stateEnteredEventDetails().name()).append(')');
            }
            if (event.taskScheduledEventDetails() != null) {
                out.append('[')
                        .append(event.taskScheduledEventDetails().resource())
                        .append(']');
            }
            out.append(' ');
        }
        return out.toString();
    }

    /** CloudFormation read each definition from its S3 asset (DefinitionS3Location) and filled every placeholder. */
    @Test
    @Order(0)
    void definitions_areTheAslFilesFromTheirAssets_withThePlaceholdersFilled() throws IOException {
        for (var machine : Map.of(stateMachineArn, "release", nightlyStateMachineArn, "nightly")
                .entrySet()) {
            String deployed = sfn.describeStateMachine(r -> r.stateMachineArn(machine.getKey()))
                    .definition();
            JsonNode file = JSON.readTree(Trees.repoDir()
                    .resolve("statemachine/" + machine.getValue() + ".asl.json")
                    .toFile());
            List<String> fileStates = new ArrayList<>();
            file.get("States").fieldNames().forEachRemaining(fileStates::add);
            List<String> deployedStates = new ArrayList<>();
            JSON.readTree(deployed).get("States").fieldNames().forEachRemaining(deployedStates::add);
            assertEquals(fileStates, deployedStates, machine.getValue());
            assertFalse(deployed.contains("${"), machine.getValue() + ": " + deployed);
        }
    }

    @Test
    @Order(1)
    void happyPath_releasesAndReportsTagsAndDigests() throws Exception {
        Run run = execute(
                "HappyPath",
                "happy",
                "{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest-1.2\"," + "\"targetEcrRepos\":[\"" + REPO
                        + "\"]}");
        assertEquals(
                ExecutionStatus.SUCCEEDED,
                run.execution().status(),
                run.execution().toString());

        JsonNode output = run.output();
        String dir = "build_artifacts/v1/v1.2/v1.2.1";
        assertEquals("1.2.1", output.get("targetVersion").asText());
        assertEquals(
                "s3://" + bucketName + "/" + dir + "/release.json",
                output.get("releaseJson").asText());
        assertEquals(
                "[\"1.2.1-cpu\",\"1.2-cpu\",\"1-cpu\",\"latest-cpu\"]",
                output.at("/images/cpu/tags").toString());
        assertEquals(DIGEST, output.at("/images/gpu/digests").get(REPO).asText());

        // the Lambda outputs are the handlers' (not an emulator placeholder): Finalize's output is the execution's
        List<LambdaProxyServer.Invocation> finalizeCalls = lambdas.invocations("/finalize");
        assertEquals(1, finalizeCalls.size());
        assertEquals(JSON.readTree(finalizeCalls.get(0).response()), output);
        JsonNode plan = JSON.readTree(lambdas.invocations("/generate").get(0).response());
        assertEquals(plan, JSON.readTree(finalizeCalls.get(0).event()).get("plan"));
        assertFalse(plan.get("validateSize").asBoolean(true));
        assertEquals(List.of(), stateInputs(run, "Check image sizes"), "no size gate without validateSize");
        assertEquals(List.of(), lambdas.invocations("/size-gate"));

        JsonNode release = JSON.readTree(bucket.read(dir + "/release.json").orElseThrow());
        assertEquals(DIGEST, release.at("/images/cpu/digests").get(REPO).asText());
        assertTrue(bucket.exists(dir + "/CHANGELOG-gpu.md") && bucket.exists(dir + "/RELEASE.md"));
        assertTrue(bucket.isComplete(dir));

        Duration took =
                Duration.between(run.execution().startDate(), run.execution().stopDate());
        System.out.printf(
                "[bench] deploy to MiniStack: %d ms; happy-path execution (mocked builds take 0 s, so all of"
                        + " it is the state machine's own overhead incl. the handlers): %d ms%n",
                deployTime.toMillis(), took.toMillis());
    }

    @Test
    @Order(2)
    void skipTests_reachesTheCodeBuildEnvironmentOverrides() throws Exception {
        Run run = execute(
                "HappyPath",
                "skip-tests",
                "{\"releaseType\":\"minor\",\"basePatchVersion\":\"1.2.0\"," + "\"skipTests\":true}");
        assertEquals(
                ExecutionStatus.SUCCEEDED,
                run.execution().status(),
                run.execution().toString());
        // MiniStack records no events inside Map iterations (and none for mocked tasks), so read the Map's input:
        // each item's environment is what "Build, test and push" passes as EnvironmentVariablesOverride.$
        List<String> mapInputs = stateInputs(run, "Build images");
        assertEquals(1, mapInputs.size(), eventSummary(run));
        JsonNode builds = JSON.readTree(mapInputs.get(0)).at("/plan/builds");
        assertEquals(2, builds.size(), "one build per image type");
        for (JsonNode build : builds) {
            String parameters = build.toString();
            JsonNode environment = build.get("environment");
            Map<String, String> env = new TreeMap<>();
            environment.forEach(
                    v -> env.put(v.get("Name").asText(), v.get("Value").asText()));
            assertEquals("true", env.get("SKIP_TESTS"), parameters);
            assertEquals("build_artifacts/v1/v1.3/v1.3.0", env.get("ARTIFACT_PREFIX"));
        }
    }

    @Test
    @Order(3)
    void aFailedGpuBuild_failsTheReleaseNamingGpu_andPublishesNoRelease() throws Exception {
        int finalizeCallsBefore = lambdas.invocations("/finalize").size();
        Run run = execute(
                "GpuBuildFails",
                "gpu-fails",
                "{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest-1.2\"," + "\"imageTypes\":[\"gpu\"]}");
        assertEquals(ExecutionStatus.FAILED, run.execution().status());
        assertTrue(
                run.execution().error().contains("Build, test and push failed [imageType=gpu]"),
                run.execution().error());
        assertTrue(run.execution().cause().contains("gpu"), run.execution().cause());
        assertEquals(finalizeCallsBefore, lambdas.invocations("/finalize").size(), "Finalize never ran");
        assertFalse(bucket.exists("build_artifacts/v1/v1.2/v1.2.2/release.json"), "no release was published");
        assertFalse(bucket.exists("build_artifacts/v1/v1.2/v1.2.2/CHANGELOG-gpu.md"), "no changelog was written");
        JsonNode failure =
                JSON.readTree(stateInputs(run, "Record failure").get(0)).get("failure");
        assertEquals("Build, test and push", failure.get("stage").asText());
        assertEquals("gpu", failure.get("imageType").asText());
        assertEquals(
                "build_artifacts/v1/v1.2/v1.2.2/failure.json",
                failure.get("key").asText());
    }

    @Test
    @Order(4)
    void badInput_failsAtGenerateWithTheClearError_andWritesNothing() throws Exception {
        Map<String, String> before = snapshot();
        Run run = execute("HappyPath", "bad-input", "{\"releaseType\":\"patch\",\"basePatchVersion\":\"../../etc\"}");
        assertEquals(ExecutionStatus.FAILED, run.execution().status());
        assertTrue(
                run.execution().error().startsWith("Generate artifacts failed [imageType=all]"),
                run.execution().error());
        assertTrue(
                run.execution().cause().contains("basePatchVersion '../../etc' is not a version"),
                run.execution().cause());
        assertEquals(before, snapshot(), "nothing written to the bucket");
        assertEquals(List.of(), taskParameters(run, "codebuild"));
    }

    /**
     * The nightly: a schedule with two bases starts two release executions with the nightly input; the child whose
     * base does not exist fails at Generate, and the nightly reports it and fails at the end. The definition is the
     * real nightly.asl.json, created here with the deployed plan function and with the release state machine's ARN
     * suffixed by a mock test case ({@code #HappyPath}), since the emulator mocks CodeBuild only per test case.
     */
    @Test
    @Order(5)
    void nightly_startsOneReleasePerBase_andFailsWhenOneFails() throws Exception {
        assertTrue(nightlyStateMachineArn.endsWith(":stateMachine:" + PREFIX + "-nightly"), nightlyStateMachineArn);
        bucket.write(
                NightlySchedule.FILE,
                new NightlySchedule(List.of("1.2.2"), List.of("1.2.1", "1.7.0"), List.of(), List.of(), Map.of())
                        .toJson());
        String definition = Files.readString(Trees.repoDir().resolve("statemachine/nightly.asl.json"))
                .replace(
                        "${NightlyPlanFunctionArn}",
                        "arn:aws:lambda:us-east-1:" + MiniStack.ACCOUNT_ID + ":function:" + PREFIX + "-nightly-plan")
                .replace("${ReleaseStateMachineArn}", stateMachineArn + "#HappyPath");
        String arn = sfn.createStateMachine(b -> b.name(PREFIX + "-nightly-e2e")
                        .definition(definition)
                        .roleArn("arn:aws:iam::" + MiniStack.ACCOUNT_ID + ":role/nightly-e2e"))
                .stateMachineArn();
        String night = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();

        String execution = sfn.startExecution(
                        b -> b.stateMachineArn(arn).name("nightly-e2e").input("{}"))
                .executionArn();
        DescribeExecutionResponse nightly = awaitEnd(execution);

        assertEquals(ExecutionStatus.FAILED, nightly.status());
        assertEquals("NightlyReleasesFailed", nightly.error());
        assertTrue(
                nightly.cause().startsWith("1 of 2 nightly releases failed: [\"nightly-patch-1.7.0-" + night + "\"]"),
                nightly.cause());
        String children = stateMachineArn.replace(":stateMachine:", ":execution:") + ":";
        DescribeExecutionResponse patch =
                sfn.describeExecution(b -> b.executionArn(children + "nightly-patch-1.2.1-" + night));
        assertEquals(ExecutionStatus.SUCCEEDED, patch.status());
        assertEquals(
                JSON.readTree("{\"releaseType\":\"patch\",\"basePatchVersion\":\"1.2.1\",\"force\":true,"
                        + "\"targetEcrRepos\":[\"" + REPO + "\"]}"),
                JSON.readTree(patch.input()));
        assertEquals("1.2.2", JSON.readTree(patch.output()).get("targetVersion").asText());
        DescribeExecutionResponse missing =
                sfn.describeExecution(b -> b.executionArn(children + "nightly-patch-1.7.0-" + night));
        assertEquals(ExecutionStatus.FAILED, missing.status());
        assertTrue(missing.cause().contains("base version 1.7.0 has no artifacts"), missing.cause());
    }

    /**
     * validateSize: the builds push images whose one new package takes 500 kB of their 12.5 MB of conda packages
     * (4 %): the gate passes, its summary is kept and Finalize publishes the release.
     */
    @Test
    @Order(6)
    void validateSize_gatePasses_thenFinalizePublishes() throws Exception {
        extraEnvOutLine = BIG_PACKAGE;
        pushedImageSize = 12_500_000; // MiniStack's sizes are manifest lengths; the SDK reads at most 20 MB
        try {
            Run run = execute(
                    "HappyPath",
                    "size-gate-passes",
                    "{\"releaseType\":\"patch\","
                            + "\"basePatchVersion\":\"latest-1.2\",\"validateSize\":true,\"targetEcrRepos\":[\"" + REPO
                            + "\",\"" + STAGING_URI + "\"]}");
            assertEquals(
                    ExecutionStatus.SUCCEEDED,
                    run.execution().status(),
                    lambdas.invocations("/size-gate") + " " + eventSummary(run));
            String target = run.output().get("targetVersion").asText();
            List<LambdaProxyServer.Invocation> gates = lambdas.invocations("/size-gate");
            assertEquals(1, gates.size());
            JsonNode report = JSON.readTree(gates.get(0).response());
            assertEquals(target, report.get("targetVersion").asText());
            for (JsonNode image : report.get("images")) {
                assertEquals(12_500_000, image.get("targetImageSize").asLong(), image.toString());
                assertEquals(BIG_PACKAGE_SIZE, image.get("newPackagesTotal").asLong(), image.toString());
            }
            List<String> finalizeInputs = stateInputs(run, "Finalize release");
            assertEquals(1, finalizeInputs.size(), eventSummary(run));
            JsonNode summary = JSON.readTree(finalizeInputs.get(0)).get("sizeGate");
            assertEquals("[4.0,4.0]", summary.get("newPercentOfPackages").toString(), summary.toString());
            assertEquals("[\"gpu\",\"cpu\"]", summary.get("imageTypes").toString());
            assertTrue(bucket.exists(run.output().get("releaseJson").asText().replace("s3://" + bucketName + "/", "")));
        } finally {
            extraEnvOutLine = null;
            pushedImageSize = 0;
        }
    }

    /**
     * validateSize: a new package of 3 MB takes 20 % of the 15 MB of conda packages, the gate fails with
     * SizeLimitExceededException (not retried), the release ends in 'Release failed' with stage 'Check image sizes',
     * and no release.json is written.
     */
    @Test
    @Order(7)
    void validateSize_gateFails_endsInReleaseFailed_withoutRelease() throws Exception {
        extraEnvOutLine = BIG_PACKAGE.replace("/bigpkg-", "/bigpkg2-"); // the base (the previous test's) has bigpkg
        pushedImageSize = 5_000_000;
        int gatesBefore = lambdas.invocations("/size-gate").size();
        int finalizeCallsBefore = lambdas.invocations("/finalize").size();
        try {
            Run run = execute(
                    "HappyPath",
                    "size-gate-fails",
                    "{\"releaseType\":\"patch\","
                            + "\"basePatchVersion\":\"latest-1.2\",\"validateSize\":true,\"targetEcrRepos\":[\""
                            + STAGING_URI
                            + "\"]}");
            assertEquals(ExecutionStatus.FAILED, run.execution().status(), eventSummary(run));
            // AWS reports the exception's class as the error; MiniStack's Lambda proxy reports Runtime.HandlerError
            // (which the state machine then retries as an unknown error) with the class in the cause
            assertTrue(
                    run.execution().error().startsWith("Check image sizes failed [imageType=all]: "),
                    run.execution().error());
            assertTrue(
                    run.execution().cause().contains("io.smdrelease.error.SizeLimitExceededException"),
                    run.execution().cause());
            assertTrue(
                    run.execution()
                            .cause()
                            .contains(
                                    "gpu: the 1 new packages take 2.86 MiB, 20.00% of the 14.31 MiB of conda packages"),
                    run.execution().cause());
            List<LambdaProxyServer.Invocation> gates = lambdas.invocations("/size-gate");
            assertTrue(gates.size() > gatesBefore, "the gate ran");
            for (LambdaProxyServer.Invocation gate : gates.subList(gatesBefore, gates.size())) {
                assertTrue(gate.failed() && gate.response().contains("SizeLimitExceededException"), gate.toString());
            }
            assertEquals(finalizeCallsBefore, lambdas.invocations("/finalize").size(), "Finalize never ran");
            JsonNode failure =
                    JSON.readTree(stateInputs(run, "Record failure").get(0)).get("failure");
            assertEquals("Check image sizes", failure.get("stage").asText());
            String dir = JSON.readTree(
                            lambdas.invocations("/generate").getLast().response())
                    .get("artifactPrefix")
                    .asText();
            assertEquals(dir + "/failure.json", failure.get("key").asText());
            assertFalse(bucket.exists(dir + "/release.json"), "no release was published");
        } finally {
            extraEnvOutLine = null;
            pushedImageSize = 0;
        }
    }

    static DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        DescribeExecutionResponse described;
        do {
            Thread.sleep(250);
            described = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (System.nanoTime() > deadline) {
                throw new AssertionError(executionArn + " still " + described.status() + " after 180 s");
            }
        } while (described.status() == ExecutionStatus.RUNNING);
        return described;
    }

    /** CodeBuild answered by the emulator; failure.json's putObject too (MiniStack has no aws-sdk:s3:putObject). */
    static final String MOCK_CONFIG = """
            {
              "StateMachines": {
                "smd-release-release": {
                  "TestCases": {
                    "HappyPath": {"Build, test and push": "BuildSucceeded", "Record failure": "FailureRecorded"},
                    "GpuBuildFails": {"Build, test and push": "BuildFailed", "Record failure": "FailureRecorded"}
                  }
                }
              },
              "MockedResponses": {
                "BuildSucceeded": {"0-9": {"Return": {"Build": {"Id": "smd-release-build:mock", "BuildStatus": "SUCCEEDED"}}}},
                "BuildFailed": {"0-9": {"Throw": {"Error": "States.TaskFailed",
                    "Cause": "{\\"Build\\":{\\"Id\\":\\"smd-release-build-gpu:mock\\",\\"BuildStatus\\":\\"FAILED\\"}}"}}},
                "FailureRecorded": {"0-9": {"Return": {"ETag": "\\"mock\\""}}}
              }
            }
            """;
}
