package io.smdrelease.cdk;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The Generate, SizeGate and Finalize Lambda functions of the release state machine and the NightlyPlan function of the
 * nightly one (docs/contract.md), all from the shaded functions jar, each with its own role that lists exactly the S3
 * (and, for SizeGate, ECR) actions it needs. The state machines invoke the {@value #ALIAS} alias, which points at a
 * published version, so SnapStart applies.
 */
public final class ReleaseFunctions extends Construct {
    public static final String ALIAS = "live";
    public static final String GENERATE_HANDLER = "io.smdrelease.lambda.GenerateHandler::handleRequest";
    public static final String FINALIZE_HANDLER = "io.smdrelease.lambda.FinalizeHandler::handleRequest";
    public static final String NIGHTLY_PLAN_HANDLER = "io.smdrelease.lambda.NightlyPlanHandler::handleRequest";
    public static final String SIZE_GATE_HANDLER = "io.smdrelease.lambda.SizeGateHandler::handleRequest";
    // The environment the handlers read (io.smdrelease.lambda.PipelineSettings; pipeline-tests' LambdaWiringTest checks
    // that both sides name the same variables and that the handler classes exist).
    public static final String ARTIFACT_BUCKET = "ARTIFACT_BUCKET";
    public static final String ARTIFACT_STORE_PREFIX = "ARTIFACT_STORE_PREFIX";
    public static final String REPODATA_URLS = "REPODATA_URLS";
    public static final String NIGHTLY_TARGET_ECR_REPOS = "NIGHTLY_TARGET_ECR_REPOS";
    /** The nightly schedule at the store's root (io.smdrelease.nightly.NightlySchedule.FILE). */
    public static final String NIGHTLY_SCHEDULE_FILE = "nightly-schedule.json";

    public static final int MEMORY_MB = 1024;
    /** The size gate holds the channel's repodata index, which peaks at about 0.5 GB. */
    public static final int SIZE_GATE_MEMORY_MB = 2048;
    /** Downloads and indexes the repodata (about a minute), then one DescribeImages per tag. */
    public static final Duration SIZE_GATE_TIMEOUT = Duration.minutes(5);
    /** Generate may read many package lists and write a whole version directory. */
    public static final Duration GENERATE_TIMEOUT = Duration.minutes(15);

    public static final Duration FINALIZE_TIMEOUT = Duration.minutes(5);
    /** Reads one small file; below the 120 s TimeoutSeconds of 'Plan nightly releases'. */
    public static final Duration NIGHTLY_PLAN_TIMEOUT = Duration.minutes(1);

    static final RetentionDays LOG_RETENTION = RetentionDays.THREE_MONTHS;

    /** What the functions need to know about the rest of the stack. */
    public record Props(
            Naming naming,
            Path jar,
            IBucket bucket,
            String artifactStorePrefix,
            String cpuBuildProject,
            String gpuBuildProject,
            List<String> nightlyTargetEcrRepos,
            List<String> ecrRepositoryArns,
            List<String> repodataUrls) {}

    private final Alias generate;
    private final Alias finalizeAlias;
    private final Alias nightlyPlan;
    private final Alias sizeGate;

    public ReleaseFunctions(Construct scope, String id, Props props) {
        super(scope, id);
        Code code = Code.fromAsset(props.jar().toString());
        Map<String, String> environment = storeEnvironment(props);
        environment.put(buildProjectVariable("cpu"), props.cpuBuildProject());
        environment.put(buildProjectVariable("gpu"), props.gpuBuildProject());

        String anyObject = props.artifactStorePrefix() + "*";
        String releaseDescription = "step of the " + props.naming().prefix() + " release state machine";
        // Generate creates and, with force, replaces a version: it deletes objects. Finalize only reads and writes
        // (its objects include nightly-schedule.json, which it updates with conditional GetObject/PutObject).
        generate = function(
                "Generate",
                "generate",
                GENERATE_HANDLER,
                GENERATE_TIMEOUT,
                releaseDescription,
                List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                anyObject,
                true,
                MEMORY_MB,
                code,
                environment,
                props);
        finalizeAlias = function(
                "Finalize",
                "finalize",
                FINALIZE_HANDLER,
                FINALIZE_TIMEOUT,
                releaseDescription,
                List.of("s3:GetObject", "s3:PutObject"),
                anyObject,
                true,
                MEMORY_MB,
                code,
                environment,
                props);

        // The size gate reads the version's env.out files (and its base's) and the image sizes in the target
        // repositories.
        Map<String, String> sizeGateEnvironment = storeEnvironment(props);
        sizeGateEnvironment.put(REPODATA_URLS, String.join(" ", props.repodataUrls()));
        sizeGate = function(
                "SizeGate",
                "size-gate",
                SIZE_GATE_HANDLER,
                SIZE_GATE_TIMEOUT,
                releaseDescription,
                List.of("s3:GetObject"),
                anyObject,
                true,
                SIZE_GATE_MEMORY_MB,
                code,
                sizeGateEnvironment,
                props);
        sizeGate.getRole()
                .addToPrincipalPolicy(PolicyStatement.Builder.create()
                        .actions(List.of("ecr:DescribeImages"))
                        .resources(props.ecrRepositoryArns())
                        .build());

        // NightlyPlan reads nightly-schedule.json and nothing else.
        Map<String, String> nightlyEnvironment = storeEnvironment(props);
        if (!props.nightlyTargetEcrRepos().isEmpty()) {
            nightlyEnvironment.put(NIGHTLY_TARGET_ECR_REPOS, String.join(" ", props.nightlyTargetEcrRepos()));
        }
        nightlyPlan = function(
                "NightlyPlan",
                "nightly-plan",
                NIGHTLY_PLAN_HANDLER,
                NIGHTLY_PLAN_TIMEOUT,
                "step of the " + props.naming().prefix() + " nightly state machine",
                List.of("s3:GetObject"),
                props.artifactStorePrefix() + NIGHTLY_SCHEDULE_FILE,
                false,
                MEMORY_MB,
                code,
                nightlyEnvironment,
                props);
    }

    /** The artifact store every function works on: the bucket and, when set, the key prefix. */
    private static Map<String, String> storeEnvironment(Props props) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put(ARTIFACT_BUCKET, props.bucket().getBucketName());
        if (!props.artifactStorePrefix().isEmpty()) {
            environment.put(ARTIFACT_STORE_PREFIX, props.artifactStorePrefix());
        }
        return environment;
    }

    /** The variable naming the CodeBuild project of an image type: {@code <TYPE>_BUILD_PROJECT}. */
    public static String buildProjectVariable(String imageType) {
        return imageType.toUpperCase(Locale.ROOT).replace('-', '_') + "_BUILD_PROJECT";
    }

    /**
     * One function behind its alias, with a role allowing {@code objectActions} on the objects matching
     * {@code objectKeys} (relative to the bucket) and, when {@code listBucket}, s3:ListBucket.
     */
    private Alias function(
            String id,
            String role,
            String handler,
            Duration timeout,
            String description,
            List<String> objectActions,
            String objectKeys,
            boolean listBucket,
            int memoryMb,
            Code code,
            Map<String, String> environment,
            Props props) {
        Naming naming = props.naming();
        LogGroup logGroup = LogGroup.Builder.create(this, id + "Logs")
                .logGroupName(naming.functionLogGroup(role))
                .retention(LOG_RETENTION)
                .build();
        Role executionRole = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs the " + role + " function of " + naming.prefix())
                .build();
        executionRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logGroup.getLogGroupArn()))
                .build());
        if (listBucket) {
            executionRole.addToPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("s3:ListBucket"))
                    .resources(List.of(props.bucket().getBucketArn()))
                    .build());
        }
        String objects = props.bucket().arnForObjects(objectKeys);
        executionRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(objectActions)
                .resources(List.of(objects))
                .build());
        if (objectKeys.contains("*")) {
            Nag.acknowledgeWildcardResource(
                    executionRole,
                    objects,
                    "The " + role + " function works on any"
                            + " version directory of the artifact store (build_artifacts/vX/vX.Y/vX.Y.Z/, template/, assets/): object"
                            + " keys are only known at run time.");
        }

        Function function = Function.Builder.create(this, id)
                .functionName(naming.function(role))
                .description(role + " " + description)
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(handler)
                .code(code)
                .memorySize(memoryMb)
                .timeout(timeout)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .role(executionRole)
                .logGroup(logGroup)
                .environment(environment)
                .build();
        Annotations.of(function)
                .acknowledgeWarning(
                        "@aws-cdk/aws-lambda:snapStartRequirePublish",
                        "The alias below points at a published version (currentVersion), which is what SnapStart snapshots.");
        Nag.acknowledge(
                function,
                "AwsSolutions-L1",
                "The functions jar targets Java 21 (maven.compiler.release 21 in the parent POM); the runtime moves with it.");
        return Alias.Builder.create(this, id + "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .description("The published version the state machine invokes (SnapStart)")
                .build();
    }

    /** The alias of the Generate function; its ARN is what the state machine invokes. */
    public IFunction generate() {
        return generate;
    }

    public IFunction finalizeFunction() {
        return finalizeAlias;
    }

    /** The alias of the SizeGate function, invoked by 'Check image sizes' when the input asks for the size gate. */
    public IFunction sizeGate() {
        return sizeGate;
    }

    /** The alias of the NightlyPlan function, invoked by the nightly state machine. */
    public IFunction nightlyPlan() {
        return nightlyPlan;
    }
}
