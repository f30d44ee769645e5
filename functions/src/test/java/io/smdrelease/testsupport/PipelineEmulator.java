package io.smdrelease.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.lambda.FailureHandler;
import io.smdrelease.lambda.FinalizeHandler;
import io.smdrelease.lambda.GatesHandler;
import io.smdrelease.lambda.GenerateHandler;
import io.smdrelease.lambda.PipelineSettings;
import io.smdrelease.lambda.PromoteHandler;
import io.smdrelease.lambda.RequestApprovalHandler;
import io.smdrelease.oci.OciRegistryClient;
import io.smdrelease.oci.RegistryCredentials;
import io.smdrelease.oci.RetryPolicy;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.store.TreeTransfer;
import io.smdrelease.vulnerability.ScanWait;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The release state machine of {@code statemachine/release.asl.json} in MiniStack, its Lambda tasks served by the
 * real handlers of this JVM ({@link LambdaProxyServer}), the artifact bucket seeded with the sample distribution, and
 * two {@code docker-registry} instances: the staging registry and a release registry. MiniStack runs no CodeBuild
 * build inside Step Functions, so the {@code Build candidate} task is answered by its mock config with builds that do
 * exist in its CodeBuild (with log lines in its CloudWatch Logs); what such a build uploads (its image in staging, its
 * candidate record, env.out and test report) is written just before the gates, as the build would have.
 */
public final class PipelineEmulator implements AutoCloseable {
    public static final String PREFIX = "smd-release";
    public static final String STATE_MACHINE = PREFIX + "-release";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The functions and their timeouts in seconds, as the stack gives them (cdk ReleaseFunctions): without one, Lambda's
     * default of 3 s applies, which MiniStack enforces, and a slower machine times Promote out.
     */
    private static final Map<String, Integer> FUNCTIONS =
            Map.of("generate", 900, "gates", 900, "approval", 120, "promote", 840, "finalize", 300, "failure", 60);

    private final LambdaProxyServer lambdas;
    private final MiniStack ministack;
    private final LocalRegistry staging;
    private final LocalRegistry release;
    private final S3Client s3;
    private final SfnClient sfn;
    private final CodeBuildClient codeBuild;
    private final CloudWatchLogsClient logs;
    private final String bucket;
    private final ArtifactStore store;
    private final String stateMachineArn;
    private final Path images;
    private EmulatorSigning signing;

    private PipelineEmulator(Path work) throws Exception {
        lambdas = new LambdaProxyServer();
        Map<String, String> env = new HashMap<>();
        for (String function : FUNCTIONS.keySet()) {
            env.put("MINISTACK_LAMBDA_PROXY_" + PREFIX + "-" + function, lambdas.url("/" + function));
        }
        ministack = MiniStack.start(env);
        staging = LocalRegistry.start(work.resolve("staging"));
        release = LocalRegistry.start(work.resolve("release"));
        images = Files.createDirectories(work.resolve("images"));
        s3 = ministack.s3();
        sfn = client(SfnClient.builder()).build();
        codeBuild = client(CodeBuildClient.builder()).build();
        logs = client(CloudWatchLogsClient.builder()).build();
        bucket = "smd-release-artifacts";
        s3.createBucket(b -> b.bucket(bucket));
        store = S3Stores.open(s3, bucket, "", Clock.systemUTC());
        TreeTransfer.pushTree(new LocalDirStore(Trees.examples()), store);
        createFunctions();
        routeHandlers();
        stateMachineArn = createStateMachine();
    }

    /** Starts it all; skips the test (fails under CI=true) without docker-registry or skopeo. */
    public static PipelineEmulator start(Path work) throws Exception {
        LocalRegistry.requireTools("docker-registry", "skopeo");
        return new PipelineEmulator(work);
    }

    private <
                    B extends
                            software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>
                                    & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, ?>>
            B client(B builder) {
        return ministack.client(builder);
    }

    private void createFunctions() throws IOException {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("served-by-the-test-jvm.txt"));
            out.write("MiniStack's Lambda proxy mode forwards every invocation".getBytes(StandardCharsets.UTF_8));
        }
        try (LambdaClient lambda = client(LambdaClient.builder()).build()) {
            for (Map.Entry<String, Integer> function : FUNCTIONS.entrySet()) {
                lambda.createFunction(b -> b.functionName(PREFIX + "-" + function.getKey())
                        .timeout(function.getValue())
                        .runtime(Runtime.JAVA21)
                        .handler("io.smdrelease.lambda.Handler")
                        .role("arn:aws:iam::" + MiniStack.ACCOUNT_ID + ":role/lambda")
                        .code(c -> c.zipFile(SdkBytes.fromByteArray(zip.toByteArray()))));
            }
        }
    }

    private String createStateMachine() throws IOException {
        String definition = Files.readString(Trees.repoDir().resolve("statemachine/release.asl.json"));
        for (String[] fn : new String[][] {
            {"GenerateFunctionArn", "generate"},
            {"GatesFunctionArn", "gates"},
            {"ApprovalFunctionArn", "approval"},
            {"PromoteFunctionArn", "promote"},
            {"FinalizeFunctionArn", "finalize"},
            {"FailureFunctionArn", "failure"}
        }) {
            definition = definition.replace(
                    "${" + fn[0] + "}",
                    "arn:aws:lambda:us-east-1:" + MiniStack.ACCOUNT_ID + ":function:" + PREFIX + "-" + fn[1]);
        }
        if (definition.contains("${")) {
            throw new IllegalStateException("a placeholder of release.asl.json is not replaced: " + definition);
        }
        String asl = definition;
        return sfn.createStateMachine(b -> b.name(STATE_MACHINE)
                        .definition(asl)
                        .roleArn("arn:aws:iam::" + MiniStack.ACCOUNT_ID + ":role/sfn"))
                .stateMachineArn();
    }

    private void routeHandlers() {
        PipelineSettings settings = new PipelineSettings(
                bucket,
                "",
                staging.repository("staging"),
                Map.of("CPU_BUILD_PROJECT", PREFIX + "-build-cpu", "GPU_BUILD_PROJECT", PREFIX + "-build-gpu"));
        Clock clock = Clock.systemUTC();
        OciRegistryClient registry = new OciRegistryClient(RegistryCredentials.ANONYMOUS, RetryPolicy.DEFAULT);
        SnsClient sns = client(SnsClient.builder()).build();
        try {
            signing = EmulatorSigning.setUp(ministack, s3, bucket, Files.createTempDirectory("signing"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String topic = sns.createTopic(b -> b.name(PREFIX + "-approvals")).topicArn();
        GatesHandler gates = new GatesHandler(
                store,
                () -> {
                    throw new IllegalStateException("no size gate in these tests");
                },
                List.of(),
                () -> {
                    throw new IllegalStateException("no CVE gate in these tests");
                },
                ScanWait.DEFAULT,
                () -> registry,
                signing::signer,
                clock);
        lambdas.route("/generate", () -> new GenerateHandler(settings, store, clock));
        lambdas.route("/gates", () -> (in, out, context) -> {
            JsonNode input = JSON.readTree(in);
            uploadWhatTheBuildsWould(input.get("plan"));
            gates.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(input)), out, context);
        });
        lambdas.route(
                "/approval",
                () -> new RequestApprovalHandler(
                        store,
                        (subject, message) -> sns.publish(
                                b -> b.topicArn(topic).subject(subject).message(message)),
                        clock));
        lambdas.route("/promote", () -> new PromoteHandler(store, registry, signing::trust, clock));
        lambdas.route("/finalize", () -> new FinalizeHandler(store, clock));
        lambdas.route("/failure", () -> new FailureHandler(store, clock));
    }

    /** Each build's image in staging under its candidate tag, candidate-<type>.json, env.out and a passing report. */
    private void uploadWhatTheBuildsWould(JsonNode plan) throws IOException {
        for (JsonNode build : plan.get("builds")) {
            String type = build.get("imageType").asText();
            // a build writes only under its own results prefix; the gates step checks it and moves it into the version
            String dir = "incoming/" + plan.get("runId").asText() + "/" + type;
            String tag = build.get("candidateTag").asText();
            String repository = staging.repository("staging");
            TestImages.Image image = TestImages.writeImage(
                    images.resolve(tag), "image", (plan.get("targetVersion").asText() + type).hashCode(), 2048);
            try {
                TestImages.push(image, repository, tag);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            store.write(
                    dir + "/" + type + ".env.out",
                    store.read("build_artifacts/v1/v1.2/v1.2.0/" + type + ".env.out")
                            .orElseThrow());
            ObjectNode candidate = JSON.createObjectNode()
                    .put("imageType", type)
                    .put("repository", repository)
                    .put("tag", tag)
                    .put("digest", image.digest())
                    .put("pushedAt", Clock.systemUTC().instant().toString());
            store.write(dir + "/candidate-" + type + ".json", JSON.writeValueAsBytes(candidate));
            store.write(
                    dir + "/test-report-" + type + ".json",
                    ("{\"imageType\":\"" + type
                                    + "\",\"skipTests\":false,\"cases\":[{\"name\":\"numpy.test.Dockerfile\","
                                    + "\"result\":\"passed\",\"seconds\":1.0}]}")
                            .getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A build of the image type's project in MiniStack's CodeBuild (it ends at once) with {@code logLines} in its log
     * stream, as the build would have written them.
     */
    public String build(String imageType, String... logLines) {
        String project = PREFIX + "-build-" + imageType;
        if (codeBuild.batchGetProjects(b -> b.names(project)).projects().isEmpty()) {
            codeBuild.createProject(b -> b.name(project)
                    .source(s -> s.type("NO_SOURCE").buildspec("version: 0.2"))
                    .artifacts(a -> a.type("NO_ARTIFACTS"))
                    .environment(e -> e.type("LINUX_CONTAINER")
                            .image("aws/codebuild/standard:7.0")
                            .computeType("BUILD_GENERAL1_LARGE"))
                    .serviceRole("arn:aws:iam::" + MiniStack.ACCOUNT_ID + ":role/codebuild"));
        }
        Build build = codeBuild.startBuild(b -> b.projectName(project)).build();
        String group = build.logs().groupName();
        String stream = build.logs().streamName();
        try {
            logs.createLogGroup(b -> b.logGroupName(group));
        } catch (software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException e) {
            // one group per project
        }
        logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
        long now = System.currentTimeMillis();
        List<InputLogEvent> events = new java.util.ArrayList<>();
        for (int i = 0; i < logLines.length; i++) {
            events.add(InputLogEvent.builder()
                    .timestamp(now + i)
                    .message(logLines[i])
                    .build());
        }
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
        return build.id();
    }

    /** Stops a build: CodeBuild reports it STOPPED, as a build that was cut short. */
    public void stop(String buildId) {
        codeBuild.stopBuild(b -> b.id(buildId));
    }

    /**
     * The mock config of the {@code Build candidate} task: per test case, the answers of its successive calls in one
     * execution: a build id it returns, or {@code "!"} + a build id for a build that failed.
     */
    public void mockBuilds(Map<String, List<String>> answersByTestCase) throws IOException, InterruptedException {
        ObjectNode config = JSON.createObjectNode();
        ObjectNode cases =
                config.putObject("StateMachines").putObject(STATE_MACHINE).putObject("TestCases");
        ObjectNode responses = config.putObject("MockedResponses");
        answersByTestCase.forEach((testCase, answers) -> {
            cases.putObject(testCase).put("Build candidate", testCase + "Build");
            ObjectNode byAttempt = responses.putObject(testCase + "Build");
            for (int i = 0; i < answers.size(); i++) {
                String answer = answers.get(i);
                if (answer.startsWith("!")) {
                    String cause = "{\"Build\":{\"Id\":\"" + answer.substring(1)
                            + "\",\"BuildStatus\":\"FAILED\",\"CurrentPhase\":\"BUILD\"}}";
                    byAttempt
                            .putObject(Integer.toString(i))
                            .putObject("Throw")
                            .put("Error", "States.TaskFailed")
                            .put("Cause", cause);
                } else {
                    byAttempt
                            .putObject(Integer.toString(i))
                            .putObject("Return")
                            .putObject("Build")
                            .put("Id", answer)
                            .put("BuildStatus", "SUCCEEDED");
                }
            }
        });
        ObjectNode body = JSON.createObjectNode();
        body.set("stepfunctions._sfn_mock_config", config);
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(ministack.endpoint() + "/_ministack/config"))
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || !answer.body().contains("_sfn_mock_config")) {
            throw new IllegalStateException("MiniStack did not take the mock config: " + answer.body());
        }
    }

    public MiniStack ministack() {
        return ministack;
    }

    public SfnClient sfn() {
        return sfn;
    }

    public S3Client s3() {
        return s3;
    }

    public ArtifactStore store() {
        return store;
    }

    /** {@code s3://BUCKET}: the {@code --store} of the CLI. */
    /** The ACM certificate the pipeline's Signer profile signs with: what {@code release promote} trusts. */
    public String signingCertificateArn() {
        return signing.profile().certificateArn();
    }

    public String storeUri() {
        return "s3://" + bucket;
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    /** The state machine ARN with a mock test case, for executions whose builds the mock config answers. */
    public String stateMachineArn(String testCase) {
        return stateMachineArn + "#" + testCase;
    }

    /** A repository of the release registry, e.g. {@code 127.0.0.1:PORT/sagemaker-distribution}. */
    public String releaseRepository() {
        return release.repository("sagemaker-distribution");
    }

    public LambdaProxyServer lambdas() {
        return lambdas;
    }

    @Override
    public void close() {
        for (AutoCloseable part :
                new AutoCloseable[] {sfn, codeBuild, logs, s3, staging, release, ministack, lambdas}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                // stop the others all the same
            }
        }
    }
}
