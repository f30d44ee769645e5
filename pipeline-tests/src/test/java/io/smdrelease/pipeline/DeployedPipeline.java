package io.smdrelease.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.aws.ecr.EcrImageSizes;
import io.smdrelease.aws.ecr.EcrRegistryCredentials;
import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.aws.signer.SignerPayloadSigner;
import io.smdrelease.aws.signer.SignerTrust;
import io.smdrelease.lambda.FailureHandler;
import io.smdrelease.lambda.FinalizeHandler;
import io.smdrelease.lambda.GatesHandler;
import io.smdrelease.lambda.GenerateHandler;
import io.smdrelease.lambda.NightlyPlanHandler;
import io.smdrelease.lambda.PipelineSettings;
import io.smdrelease.lambda.PromoteHandler;
import io.smdrelease.lambda.RequestApprovalHandler;
import io.smdrelease.oci.OciRegistryClient;
import io.smdrelease.oci.RetryPolicy;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.release.CheckoutReleases;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.store.TreeTransfer;
import io.smdrelease.testsupport.LambdaProxyServer;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.RegistryProxy;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.vulnerability.ScanWait;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.signer.SignerClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The release pipeline deployed to MiniStack with the pinned CDK CLI from the stack's own code, once per test class.
 * Every Lambda task reaches the real handler in this JVM (MiniStack's Lambda proxy mode), constructed with the
 * environment the stack gave its function (read back from the emulator's Lambda API); only the registry host of the
 * staging repository is the emulator's registry endpoint instead of the ECR host name. The CodeBuild task is answered
 * by the Step Functions mock config ({@link #MOCK_CONFIG}); what the builds write and push, {@link CandidateBuilds} does
 * when Generate hands them the plan. Release repositories: the stack's ECR repository in MiniStack and a docker-registry
 * behind a {@link RegistryProxy} that a test can make fail.
 */
final class DeployedPipeline implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PREFIX = "smd-release";
    static final String RELEASE_MACHINE = PREFIX + "-release";
    /** The release definition with its builds one after the other, so the mock's first build (gpu) is the one failing. */
    static final String SERIAL_MACHINE = PREFIX + "-release-serial";
    /** The release definition with a short approval timeout. */
    static final String SHORT_APPROVAL_MACHINE = PREFIX + "-release-short-approval";

    static final List<String> FUNCTIONS =
            List.of("generate", "gates", "approval", "promote", "finalize", "failure", "nightly-plan");

    final LambdaProxyServer lambdas;
    final MiniStack ministack;
    final S3Client s3;
    final SfnClient sfn;
    final EcrClient ecr;
    final String bucketName;
    final BucketStore bucket;
    final Map<String, String> outputs;
    final Duration deployTime;
    final LocalRegistry registry;
    final RegistryProxy proxy;
    /** The stack's staging repository as this JVM reaches it: the emulator's registry endpoint. */
    final String staging;
    /** The stack's release repository in MiniStack's ECR, and a docker-registry one behind the proxy. */
    final String ecrRelease;

    final String localRelease;
    /** The signing profile the stack was deployed with, and its certificate's CA. */
    final SigningMaterial signing;

    final CandidateBuilds builds;
    /** The emulator's Signer and ACM, where the stack's profile and certificate are. */
    final SignerClient signer;

    final AcmClient acm;
    /** The registries as Promote reaches them (ECR tokens from the emulator). */
    RegistryClient registryClient;

    private final Path repodata;
    private final LambdaClient lambda;
    private final SnsClient sns;

    private DeployedPipeline(Path work) throws Exception {
        lambdas = new LambdaProxyServer();
        Path mockConfig = Files.writeString(work.resolve("sfn-mock-config.json"), MOCK_CONFIG);
        Map<String, String> env = new TreeMap<>(Map.of("SFN_MOCK_CONFIG", mockConfig.toString()));
        FUNCTIONS.forEach(f -> env.put("MINISTACK_LAMBDA_PROXY_" + PREFIX + "-" + f, lambdas.url("/" + f)));
        ministack = MiniStack.start(env);
        s3 = ministack.s3();
        sfn = SfnClient.builder()
                .endpointOverride(ministack.endpoint())
                .region(ministack.region())
                .credentialsProvider(MiniStack.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        ecr = EcrClient.builder()
                .endpointOverride(ministack.endpoint())
                .region(ministack.region())
                .credentialsProvider(MiniStack.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        lambda = LambdaClient.builder()
                .endpointOverride(ministack.endpoint())
                .region(ministack.region())
                .credentialsProvider(MiniStack.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        sns = SnsClient.builder()
                .endpointOverride(ministack.endpoint())
                .region(ministack.region())
                .credentialsProvider(MiniStack.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();

        // the operator's one-time step before a deployment: the signing profile and its certificate
        signing = SigningMaterial.create(ministack, work.resolve("signing"));
        signer = ministack.client(SignerClient.builder()).build();
        acm = ministack.client(AcmClient.builder()).build();
        Instant start = Instant.now();
        outputs = CdkCli.deploy(ministack, signing.context());
        deployTime = Duration.between(start, Instant.now());

        Map<String, String> generateEnv = environment("generate");
        bucketName = generateEnv.get(PipelineSettings.ARTIFACT_BUCKET);
        bucket = S3Stores.open(s3, bucketName, "", Clock.systemUTC());
        // as push-tree seeds a bucket: the files, and the checkout's built versions recorded as released
        LocalDirStore examples = new LocalDirStore(Trees.examples());
        TreeTransfer.pushTree(examples, bucket);
        CheckoutReleases.record(examples, bucket, Clock.systemUTC());
        staging = emulatorRegistry(generateEnv.get(PipelineSettings.STAGING_REPOSITORY));
        ecrRelease = emulatorRegistry(ecr.describeRepositories(r -> r.repositoryNames("sagemaker-distribution"))
                .repositories()
                .get(0)
                .repositoryUri());
        registry = LocalRegistry.start(work.resolve("registry"));
        proxy = RegistryProxy.start(registry.port());
        localRelease = proxy.repository("team/smd");
        builds = new CandidateBuilds(bucket, work.resolve("images"));
        repodata = writeRepodata(work.resolve("repodata.json"));
        serveHandlers(generateEnv);
    }

    static DeployedPipeline start(Path work) throws Exception {
        LocalRegistry.requireTools("skopeo", "docker-registry");
        return new DeployedPipeline(work);
    }

    /** The environment the stack gave a function, from the emulator's GetFunctionConfiguration. */
    Map<String, String> environment(String function) {
        return new TreeMap<>(lambda.getFunctionConfiguration(r -> r.functionName(PREFIX + "-" + function))
                .environment()
                .variables());
    }

    /** An ECR repository URI ({@code ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME}) at the emulator's registry endpoint. */
    String emulatorRegistry(String uri) {
        assertTrue(uri.matches(MiniStack.ACCOUNT_ID + "\\.dkr\\.ecr\\.[a-z0-9-]+\\.[a-z.]+/[a-z0-9._/-]+"), uri);
        return "127.0.0.1:" + ministack.port() + uri.substring(uri.indexOf('/'));
    }

    /** The size gate's package sizes: python (the rest of each image), and two packages a release may add. */
    static final long PYTHON_SIZE = 12_000_000;

    static final long BIG_PACKAGE_SIZE = 500_000;
    static final long BIGGER_PACKAGE_SIZE = 3_000_000;
    static final String BIG_PACKAGE =
            "https://conda.anaconda.org/conda-forge/linux-64/bigpkg-1.0-h0_0.conda#" + "0".repeat(32);
    static final String BIGGER_PACKAGE = BIG_PACKAGE.replace("/bigpkg-", "/bigpkg2-");

    private static Path writeRepodata(Path file) throws IOException {
        ObjectNode packages = JSON.createObjectNode();
        for (var pkg : List.of(
                List.of("python", "3.12.4", "h194c7f8_0_cpython", PYTHON_SIZE),
                List.of("bigpkg", "1.0", "h0_0", BIG_PACKAGE_SIZE),
                List.of("bigpkg2", "1.0", "h0_0", BIGGER_PACKAGE_SIZE))) {
            packages.putObject(pkg.get(0) + "-" + pkg.get(1) + "-" + pkg.get(2) + ".conda")
                    .put("name", (String) pkg.get(0))
                    .put("version", (String) pkg.get(1))
                    .put("build", (String) pkg.get(2))
                    .put("build_number", 0)
                    .put("subdir", "linux-64")
                    .put("size", (Long) pkg.get(3))
                    .putArray("depends");
        }
        ObjectNode repodata = JSON.createObjectNode();
        repodata.putObject("info").put("subdir", "linux-64");
        repodata.putObject("packages");
        repodata.set("packages.conda", packages);
        return Files.writeString(file, repodata.toString());
    }

    private void serveHandlers(Map<String, String> generateEnv) {
        Clock clock = Clock.systemUTC();
        PipelineSettings settings = new PipelineSettings(
                generateEnv.get(PipelineSettings.ARTIFACT_BUCKET),
                generateEnv.getOrDefault(PipelineSettings.ARTIFACT_STORE_PREFIX, ""),
                staging,
                generateEnv);
        GenerateHandler generate = new GenerateHandler(settings, bucket, clock);
        lambdas.route("/generate", () -> (in, out, context) -> {
            ByteArrayOutputStream plan = new ByteArrayOutputStream();
            generate.handleRequest(in, plan, context);
            builds.run(JSON.readTree(plan.toByteArray())); // the builds start with this plan
            out.write(plan.toByteArray());
        });

        Map<String, String> gatesEnv = environment("gates");
        assertTrue(
                emulatorRegistry(gatesEnv.get(PipelineSettings.STAGING_REPOSITORY))
                        .equals(staging),
                gatesEnv.toString());
        // the stack's repodata is conda-forge's, out of reach here: the size gate reads a channel of known sizes
        assertTrue(gatesEnv.get(PipelineSettings.REPODATA_URLS).contains("conda-forge"), gatesEnv.toString());
        assertTrue(signing.profileName().equals(gatesEnv.get(PipelineSettings.SIGNING_PROFILE)), gatesEnv.toString());
        Map<String, String> promoteEnv = environment("promote");
        assertTrue(
                signing.certificateArn().equals(promoteEnv.get(PipelineSettings.SIGNING_CERTIFICATE_ARN)),
                promoteEnv.toString());

        String topic = environment("approval").get(PipelineSettings.APPROVAL_TOPIC_ARN);
        assertTrue(topic.equals(outputs.get("ApprovalTopicArn")), topic);
        lambdas.route(
                "/approval",
                () -> new RequestApprovalHandler(
                        bucket,
                        (subject, message) -> sns.publish(
                                b -> b.topicArn(topic).subject(subject).message(message)),
                        clock));

        // ECR tokens from the emulator's GetAuthorizationToken for its registry endpoint; short registry retries, so a
        // registry that is down fails the step in about a second
        EcrRegistryCredentials credentials = ministack.registryCredentials(ecr, "127.0.0.1:" + ministack.port());
        registryClient = new OciRegistryClient(credentials, RetryPolicy.DEFAULT);
        String stagingName = staging.substring(staging.indexOf('/') + 1);
        lambdas.route(
                "/gates",
                () -> new GatesHandler(
                        bucket,
                        () -> new EcrImageSizes(ecr, stagingName, MiniStack.ACCOUNT_ID),
                        List.of(repodata.toString()),
                        () -> {
                            throw new IllegalStateException("no CVE gate in these executions");
                        },
                        ScanWait.DEFAULT,
                        () -> new OciRegistryClient(credentials, RetryPolicy.DEFAULT),
                        () -> new SignerPayloadSigner(
                                signer,
                                acm,
                                s3,
                                gatesEnv.get(PipelineSettings.SIGNING_PROFILE),
                                bucketName,
                                Duration.ofSeconds(30)),
                        clock));
        RetryPolicy quick = new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(2));
        lambdas.route(
                "/promote",
                () -> new PromoteHandler(
                        bucket,
                        new OciRegistryClient(credentials, quick),
                        () -> new SignerTrust(signer, acm, promoteEnv.get(PipelineSettings.SIGNING_CERTIFICATE_ARN)),
                        clock));
        lambdas.route("/finalize", () -> new FinalizeHandler(bucket, clock));
        lambdas.route("/failure", () -> new FailureHandler(bucket, clock));
        String nightlyRepos = environment("nightly-plan").getOrDefault(PipelineSettings.NIGHTLY_TARGET_ECR_REPOS, "");
        List<String> nightlyTargets = Arrays.stream(nightlyRepos.split(" "))
                .filter(s -> !s.isBlank())
                .map(this::emulatorRegistry)
                .toList();
        lambdas.route("/nightly-plan", () -> new NightlyPlanHandler(bucket, clock, nightlyTargets));
    }

    /**
     * Creates a state machine from the deployed release definition (placeholders filled by CloudFormation), changed by
     * {@code change}; its name must have test cases in the mock config.
     */
    String createVariant(String name, java.util.function.Consumer<ObjectNode> change) throws IOException {
        String arn = outputs.get("StateMachineArn");
        ObjectNode definition = (ObjectNode) JSON.readTree(
                sfn.describeStateMachine(r -> r.stateMachineArn(arn)).definition());
        change.accept(definition);
        return sfn.createStateMachine(b -> b.name(name)
                        .definition(definition.toString())
                        .roleArn("arn:aws:iam::" + MiniStack.ACCOUNT_ID + ":role/" + name))
                .stateMachineArn();
    }

    @Override
    public void close() {
        for (AutoCloseable c :
                new AutoCloseable[] {proxy, registry, sns, lambda, ecr, sfn, s3, signer, acm, ministack, lambdas}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
    }

    private static final String BUILD_SUCCEEDED =
            "{\"0-99\": {\"Return\": {\"Build\": {\"Id\": \"smd-release-build:mock\", \"BuildStatus\": \"SUCCEEDED\"}}}}";

    /**
     * CodeBuild answered by the emulator: every build succeeds ({@code #Build}), or, on the serial variant, the first
     * build (gpu, the first image type of a plan) fails the way startBuild.sync reports a FAILED build.
     */
    static final String MOCK_CONFIG =
            """
            {
              "StateMachines": {
                "%s": {"TestCases": {"Build": {"Build candidate": "BuildSucceeded"}}},
                "%s": {"TestCases": {"GpuBuildFails": {"Build candidate": "FirstBuildFails"}}},
                "%s": {"TestCases": {"Build": {"Build candidate": "BuildSucceeded"}}}
              },
              "MockedResponses": {
                "BuildSucceeded": %s,
                "FirstBuildFails": {
                  "0": {"Throw": {"Error": "States.TaskFailed",
                    "Cause": "{\\"Build\\":{\\"Id\\":\\"smd-release-build-gpu:mock\\",\\"BuildStatus\\":\\"FAILED\\",\\"CurrentPhase\\":\\"COMPLETED\\"}}"}},
                  "1": {"Return": {"Build": {"Id": "smd-release-build-cpu:mock", "BuildStatus": "SUCCEEDED"}}}
                }
              }
            }
            """.formatted(RELEASE_MACHINE, SERIAL_MACHINE, SHORT_APPROVAL_MACHINE, BUILD_SUCCEEDED);
}
