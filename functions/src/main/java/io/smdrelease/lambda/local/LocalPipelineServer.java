package io.smdrelease.lambda.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.aws.ecr.EcrImageSizes;
import io.smdrelease.aws.ecr.EcrRegistryCredentials;
import io.smdrelease.aws.ecr.EcrRepository;
import io.smdrelease.aws.inspector.InspectorImageFindings;
import io.smdrelease.aws.s3.S3Clients;
import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.aws.signer.SignerClients;
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
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.vulnerability.ScanWait;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The Lambda functions of the release pipeline deployed to the MiniStack emulator, served from this jar on 127.0.0.1
 * for the emulator's Lambda proxy mode (scripts/local-pipeline.sh starts it). Each handler is built with the
 * environment the stack gave its function (the emulator's ListFunctions answer, saved to a file), as the Lambda runtime
 * would; ECR repository URIs ({@code ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME}) become the emulator's registry
 * endpoint ({@code 127.0.0.1:PORT/NAME}), the only name this machine reaches them by. {@code <prefix>-local-build}
 * stands in for CodeBuild ({@link LocalCodeBuild}).
 *
 * <p>Usage: {@code java -cp smd-release.jar io.smdrelease.lambda.local.LocalPipelineServer PORT FUNCTIONS_JSON
 * NAME_PREFIX SCRIPTS_DIR WORK_DIR}, with {@code AWS_ENDPOINT_URL} (the emulator), {@code AWS_REGION}, credentials
 * and the build scripts' settings ({@code CONTAINER_ENGINE}, {@code BUILDAH_ROOT}, {@code ECR_REGISTRY_HOSTS}, …) in
 * the environment; every build inherits that environment. Prints {@code ready on PORT} once it serves.
 */
public final class LocalPipelineServer {
    /** The function name suffixes this server serves, after {@code <prefix>-}. */
    static final Set<String> FUNCTIONS =
            Set.of("generate", "gates", "approval", "promote", "finalize", "failure", "nightly-plan", "local-build");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<String, String>> environments;
    private final String prefix;
    private final String registry;
    private final String region;
    private final Clock clock = Clock.systemUTC();

    /**
     * @param environments each function's environment, by function name
     * @param endpoint     the emulator, whose host and port are its registry's
     */
    LocalPipelineServer(Map<String, Map<String, String>> environments, String prefix, URI endpoint, String region) {
        this.environments = environments;
        this.prefix = prefix;
        this.registry = endpoint.getHost() + ":" + endpoint.getPort();
        this.region = region;
        Set<String> expected = new TreeSet<>();
        FUNCTIONS.forEach(f -> expected.add(prefix + "-" + f));
        Set<String> deployed = new TreeSet<>(environments.keySet());
        deployed.removeIf(name -> !name.startsWith(prefix + "-"));
        if (!deployed.equals(expected)) {
            throw new IllegalStateException("the emulator's functions " + deployed + " are not the ones served here "
                    + expected + ": deploy the stack of this checkout (scripts/local-pipeline.sh up)");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: LocalPipelineServer PORT FUNCTIONS_JSON NAME_PREFIX SCRIPTS_DIR WORK_DIR");
            System.exit(2);
        }
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        String region = System.getenv("AWS_REGION");
        if (endpoint == null || region == null) {
            System.err.println("AWS_ENDPOINT_URL (the emulator) and AWS_REGION must be set: this serves a local stack");
            System.exit(2);
        }
        LocalPipelineServer pipeline =
                new LocalPipelineServer(readEnvironments(Path.of(args[1])), args[2], URI.create(endpoint), region);
        LambdaHttpServer server = new LambdaHttpServer(Integer.parseInt(args[0]), LocalPipelineServer::log);
        pipeline.handlers(Path.of(args[3]), Path.of(args[4]), System.getenv())
                .forEach((function, handler) -> server.route("/" + function, handler));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("ready on " + server.port());
        stopped.await();
    }

    /** {@code aws lambda list-functions}' answer: function name → its environment variables. */
    static Map<String, Map<String, String>> readEnvironments(Path listFunctions) throws IOException {
        Map<String, Map<String, String>> environments = new TreeMap<>();
        for (JsonNode function : JSON.readTree(listFunctions.toFile()).path("Functions")) {
            Map<String, String> variables = new TreeMap<>();
            function.path("Environment")
                    .path("Variables")
                    .fields()
                    .forEachRemaining(
                            e -> variables.put(e.getKey(), e.getValue().asText()));
            environments.put(function.path("FunctionName").asText(), variables);
        }
        return environments;
    }

    /** Each served function's handler, by function name; {@code buildEnvironment} is every build's environment. */
    Map<String, Supplier<RequestStreamHandler>> handlers(
            Path scripts, Path workDir, Map<String, String> buildEnvironment) {
        Map<String, Supplier<RequestStreamHandler>> handlers = new TreeMap<>();
        handlers.put(name("generate"), () -> {
            Map<String, String> env = env("generate");
            PipelineSettings settings = settings(env);
            return new GenerateHandler(settings, S3Stores.open(settings.storeUri()), clock);
        });
        handlers.put(name("gates"), () -> {
            Map<String, String> env = env("gates");
            EcrRepository staging = EcrRepository.parse(env.get(PipelineSettings.STAGING_REPOSITORY))
                    .orElseThrow(() -> new IllegalStateException("the stack's staging repository is not in ECR"));
            return new GatesHandler(
                    store(env),
                    () -> new EcrImageSizes(EcrImageSizes.client(region), staging.name(), staging.account()),
                    split(env.get(PipelineSettings.REPODATA_URLS)),
                    () -> new InspectorImageFindings(InspectorImageFindings::client),
                    ScanWait.DEFAULT,
                    this::registryClient,
                    () -> new SignerPayloadSigner(
                            SignerClients.signer(),
                            SignerClients.acm(),
                            S3Clients.builder().build(),
                            env.get(PipelineSettings.SIGNING_PROFILE),
                            settings(env).artifactBucket(),
                            SignerPayloadSigner.DEFAULT_TIMEOUT),
                    clock);
        });
        handlers.put(name("approval"), () -> {
            Map<String, String> env = env("approval");
            String topic = env.get(PipelineSettings.APPROVAL_TOPIC_ARN);
            SnsClient sns = SnsClient.builder()
                    .httpClientBuilder(UrlConnectionHttpClient.builder())
                    .build();
            return new RequestApprovalHandler(
                    store(env),
                    (subject, message) ->
                            sns.publish(b -> b.topicArn(topic).subject(subject).message(message)),
                    clock);
        });
        // the registries logged in as the build scripts log in: ECR tokens for the hosts of ECR_REGISTRY_HOSTS
        handlers.put(
                name("promote"),
                () -> new PromoteHandler(
                        store(env("promote")),
                        registryClient(),
                        () -> new SignerTrust(
                                SignerClients.signer(),
                                SignerClients.acm(),
                                env("promote").get(PipelineSettings.SIGNING_CERTIFICATE_ARN)),
                        clock));
        handlers.put(name("finalize"), () -> new FinalizeHandler(store(env("finalize")), clock));
        handlers.put(name("failure"), () -> new FailureHandler(store(env("failure")), clock));
        handlers.put(name("nightly-plan"), () -> {
            Map<String, String> env = env("nightly-plan");
            List<String> targets = split(env.get(PipelineSettings.NIGHTLY_TARGET_ECR_REPOS)).stream()
                    .map(emulatorRegistry())
                    .toList();
            return new NightlyPlanHandler(store(env), clock, targets);
        });
        handlers.put(
                name("local-build"),
                () -> new LocalCodeBuild(scripts, workDir, buildEnvironment, System.out, emulatorBuilds(), clock));
        return handlers;
    }

    /**
     * A successful build as a build of its project in the emulator's CodeBuild (which records it as SUCCEEDED at once),
     * its output in that build's CloudWatch Logs stream: where {@code release watch} reads a build's log tail.
     */
    private static LocalCodeBuild.BuildRecords emulatorBuilds() {
        CodeBuildClient codeBuild = CodeBuildClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        CloudWatchLogsClient logs = CloudWatchLogsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        return (project, log) -> {
            Build build = codeBuild.startBuild(b -> b.projectName(project)).build();
            String group = build.logs().groupName();
            String stream = build.logs().streamName();
            try {
                logs.createLogGroup(b -> b.logGroupName(group));
            } catch (ResourceAlreadyExistsException e) {
                // one group per project
            }
            logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
            long now = System.currentTimeMillis();
            List<String> lines = Files.readAllLines(log);
            List<InputLogEvent> events = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                events.add(InputLogEvent.builder()
                        .timestamp(now)
                        .message(lines.get(i).isEmpty() ? " " : lines.get(i))
                        .build());
            }
            if (!events.isEmpty()) {
                logs.putLogEvents(
                        b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
            }
            return build.id();
        };
    }

    private String name(String function) {
        return prefix + "-" + function;
    }

    private Map<String, String> env(String function) {
        return environments.get(name(function));
    }

    /** The function's settings, its staging repository at the emulator's registry endpoint. */
    private PipelineSettings settings(Map<String, String> env) {
        String staging = env.get(PipelineSettings.STAGING_REPOSITORY);
        return new PipelineSettings(
                env.get(PipelineSettings.ARTIFACT_BUCKET),
                env.getOrDefault(PipelineSettings.ARTIFACT_STORE_PREFIX, ""),
                staging == null ? null : emulatorRegistry().apply(staging),
                env);
    }

    /** The emulator's registry, logged in with its ECR tokens as the build scripts log in. */
    private RegistryClient registryClient() {
        return new OciRegistryClient(
                EcrRegistryCredentials.fromEnvironment(
                        Map.of(EcrRegistryCredentials.HOSTS_VARIABLE, registry + "=" + region)),
                RetryPolicy.DEFAULT);
    }

    private ArtifactStore store(Map<String, String> env) {
        return S3Stores.open(settings(env).storeUri());
    }

    /** An ECR repository URI at the emulator's registry endpoint; any other URI as it is. */
    Function<String, String> emulatorRegistry() {
        return uri ->
                EcrRepository.parse(uri).map(r -> registry + "/" + r.name()).orElse(uri);
    }

    private static List<String> split(String value) {
        return value == null || value.isBlank()
                ? List.of()
                : Arrays.asList(value.trim().split("\\s+"));
    }

    private static void log(LambdaHttpServer.Invocation invocation) {
        System.out.printf(
                "%s %s%s%n",
                invocation.path(),
                invocation.failed() ? "FAILED " : "ok",
                invocation.failed() ? invocation.response() : "");
    }
}
