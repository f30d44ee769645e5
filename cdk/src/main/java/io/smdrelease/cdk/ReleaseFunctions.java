package io.smdrelease.cdk;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.ecr.IRepository;
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
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The Lambda functions of the release state machine (Generate, Gates, Approval, Promote, Finalize, Failure) and of the
 * nightly one (NightlyPlan), one per handler of docs/contract.md, all from the shaded functions jar. Each has its own
 * role listing exactly the S3, ECR, SNS, Signer and ACM actions its handler needs, and exactly the environment its handler reads.
 * The state machines invoke the {@value #ALIAS} alias, which points at a published version, so SnapStart applies.
 */
public final class ReleaseFunctions extends Construct {
    public static final String ALIAS = "live";
    public static final String GENERATE_HANDLER = handler("GenerateHandler");
    public static final String GATES_HANDLER = handler("GatesHandler");
    public static final String APPROVAL_HANDLER = handler("RequestApprovalHandler");
    public static final String PROMOTE_HANDLER = handler("PromoteHandler");
    public static final String FINALIZE_HANDLER = handler("FinalizeHandler");
    public static final String FAILURE_HANDLER = handler("FailureHandler");
    public static final String NIGHTLY_PLAN_HANDLER = handler("NightlyPlanHandler");
    // The environment the handlers read (io.smdrelease.lambda.PipelineSettings; pipeline-tests' LambdaWiringTest checks
    // per function that the stack sets exactly what its handler reads, and that the handler classes exist).
    public static final String ARTIFACT_BUCKET = "ARTIFACT_BUCKET";
    public static final String ARTIFACT_STORE_PREFIX = "ARTIFACT_STORE_PREFIX";
    public static final String STAGING_REPOSITORY = "STAGING_REPOSITORY";
    public static final String APPROVAL_TOPIC_ARN = "APPROVAL_TOPIC_ARN";
    public static final String REPODATA_URLS = "REPODATA_URLS";
    public static final String NIGHTLY_TARGET_ECR_REPOS = "NIGHTLY_TARGET_ECR_REPOS";
    /** The AWS Signer profile Gates signs with, and its ACM certificate, which Gates and Promote verify by. */
    public static final String SIGNING_PROFILE = "SIGNING_PROFILE";

    public static final String SIGNING_CERTIFICATE_ARN = "SIGNING_CERTIFICATE_ARN";
    /** The nightly schedule at the store's root (io.smdrelease.nightly.NightlySchedule.FILE). */
    public static final String NIGHTLY_SCHEDULE_FILE = "nightly-schedule.json";
    /** Where the versions are, below the store's prefix (io.smdrelease.version.ImageVersions.versionDir). */
    static final String VERSIONS = "build_artifacts/";

    public static final int MEMORY_MB = 1024;
    /** The size gate holds the channel's repodata index, which peaks at about 0.5 GB. */
    public static final int GATES_MEMORY_MB = 2048;
    /** The size gate downloads and indexes the repodata (about a minute); below the state's 600 s. */
    /** The CVE gate waits for Inspector's scans within this, less a margin (GatesHandler). */
    public static final Duration GATES_TIMEOUT = Duration.minutes(15);
    /** Generate may read many package lists and write a whole version directory. */
    public static final Duration GENERATE_TIMEOUT = Duration.minutes(15);
    /** Copies every image type to every release repository; below the state's 900 s. */
    public static final Duration PROMOTE_TIMEOUT = Duration.minutes(14);

    public static final Duration FINALIZE_TIMEOUT = Duration.minutes(5);
    /** Writes approval.json and the documents, publishes one message. */
    public static final Duration APPROVAL_TIMEOUT = Duration.minutes(2);
    /** Writes one small file; below the 120 s TimeoutSeconds of 'Record failure'. */
    public static final Duration FAILURE_TIMEOUT = Duration.minutes(1);
    /** Reads one small file; below the 120 s TimeoutSeconds of 'Plan nightly releases'. */
    public static final Duration NIGHTLY_PLAN_TIMEOUT = Duration.minutes(1);

    static final RetentionDays LOG_RETENTION = RetentionDays.THREE_MONTHS;
    /** Reading a candidate and its blobs from the staging repository (manifests, layers, cross-repository mounts). */
    static final List<String> ECR_PULL_ACTIONS =
            List.of("ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer");
    /** Pushing a manifest and its blobs, and reading the tag back. */
    static final List<String> ECR_PUSH_ACTIONS = List.of(
            "ecr:BatchCheckLayerAvailability",
            "ecr:BatchGetImage",
            "ecr:CompleteLayerUpload",
            "ecr:GetDownloadUrlForLayer",
            "ecr:InitiateLayerUpload",
            "ecr:PutImage",
            "ecr:UploadLayerPart");

    /**
     * What the functions need to know about the rest of the stack.
     *
     * @param buildProjects image type to its CodeBuild project
     * @param releaseRepositories where Promote copies the gated candidates
     */
    public record Props(
            Naming naming,
            Path jar,
            IBucket bucket,
            String artifactStorePrefix,
            Map<String, String> buildProjects,
            IRepository staging,
            List<IRepository> releaseRepositories,
            ITopic approvalTopic,
            List<String> nightlyTargetEcrRepos,
            List<String> repodataUrls,
            SigningProfile signing) {}

    /** One function: its alias (what the state machines invoke) and its role. */
    private record Deployed(Alias alias, Role role) {}

    private final Props props;
    private final Code code;
    private final Deployed generate;
    private final Deployed gates;
    private final Deployed approval;
    private final Deployed promote;
    private final Deployed finalizeRelease;
    private final Deployed failure;
    private final Deployed nightlyPlan;

    public ReleaseFunctions(Construct scope, String id, Props props) {
        super(scope, id);
        this.props = props;
        this.code = Code.fromAsset(props.jar().toString());
        String release = "step of the " + props.naming().prefix() + " release state machine";
        String staging = props.staging().getRepositoryUri();
        String prefix = props.artifactStorePrefix();
        String anyObject = prefix + "*";
        String versionObjects = prefix + VERSIONS + "*";

        // Generate creates and, with force, replaces a version: it deletes objects. It plans one build per image type.
        Map<String, String> generateEnvironment = storeEnvironment();
        generateEnvironment.put(STAGING_REPOSITORY, staging);
        props.buildProjects().forEach((type, project) -> generateEnvironment.put(buildProjectVariable(type), project));
        generate = function(
                "Generate", "generate", GENERATE_HANDLER, GENERATE_TIMEOUT, MEMORY_MB, release, generateEnvironment);
        objects(generate, List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), anyObject);

        // Gates moves what the builds wrote under incoming/ into the version (checked: env.out, test report, candidate
        // record), reads the candidates and their base, writes gates.json; the size gate describes the candidates in
        // the staging repository.
        Map<String, String> gatesEnvironment = storeEnvironment();
        gatesEnvironment.put(STAGING_REPOSITORY, staging);
        gatesEnvironment.put(REPODATA_URLS, String.join(" ", props.repodataUrls()));
        gatesEnvironment.putAll(props.signing().signerEnvironment());
        gates = function("Gates", "gates", GATES_HANDLER, GATES_TIMEOUT, GATES_MEMORY_MB, release, gatesEnvironment);
        objects(gates, List.of("s3:GetObject"), anyObject);
        objects(
                gates,
                List.of("s3:PutObject"),
                prefix + VERSIONS + "*/gates.json",
                prefix + VERSIONS + "*.env.out",
                prefix + VERSIONS + "*/candidate-*.json",
                prefix + VERSIONS + "*/test-report-*.json");
        allow(gates, List.of("ecr:DescribeImages"), List.of(props.staging().getRepositoryArn()));
        // a gated candidate is signed, and its SBOM and signature are pushed to staging as referrers of its digest
        props.signing().grantSign(gates.role(), props.bucket());
        allow(gates, ECR_PUSH_ACTIONS, List.of(props.staging().getRepositoryArn()));
        // the CVE gate (cveGate) reads Inspector's coverage and findings of the candidate digests; the referrers'
        // pushes log in to the registry
        allow(
                gates,
                List.of("ecr:GetAuthorizationToken", "inspector2:ListCoverage", "inspector2:ListFindings"),
                List.of("*"));
        Nag.acknowledgeWildcardResource(
                gates.role(),
                "*",
                "inspector2:ListCoverage, ListFindings and ecr:GetAuthorizationToken have no resource-level permissions;"
                        + " the handler filters the findings by the staging repository and the candidate digests, and"
                        + " pushes only to the staging repository.");

        // Approval records approval.json and the changelogs it sends, then publishes the request.
        Map<String, String> approvalEnvironment = storeEnvironment();
        approvalEnvironment.put(APPROVAL_TOPIC_ARN, props.approvalTopic().getTopicArn());
        approval = function(
                "Approval", "approval", APPROVAL_HANDLER, APPROVAL_TIMEOUT, MEMORY_MB, release, approvalEnvironment);
        objects(approval, List.of("s3:GetObject"), anyObject);
        objects(approval, List.of("s3:PutObject"), versionObjects);
        allow(approval, List.of("sns:Publish"), List.of(props.approvalTopic().getTopicArn()));

        // Promote reads the plan's candidates and gates.json, verifies each candidate's signature, pulls the candidate
        // and its referrers (SBOM, signature) from staging and pushes them to every release repository; it writes
        // nothing to the bucket.
        Map<String, String> promoteEnvironment = storeEnvironment();
        promoteEnvironment.putAll(props.signing().verifierEnvironment());
        promote = function(
                "Promote", "promote", PROMOTE_HANDLER, PROMOTE_TIMEOUT, MEMORY_MB, release, promoteEnvironment);
        props.signing().grantVerify(promote.role());
        objects(promote, List.of("s3:GetObject"), anyObject);
        allow(promote, ECR_PULL_ACTIONS, List.of(props.staging().getRepositoryArn()));
        allow(
                promote,
                ECR_PUSH_ACTIONS,
                props.releaseRepositories().stream()
                        .map(IRepository::getRepositoryArn)
                        .toList());
        allow(promote, List.of("ecr:GetAuthorizationToken"), List.of("*"));
        Nag.acknowledgeWildcardResource(
                promote.role(),
                "*",
                "ecr:GetAuthorizationToken has no resource-level permissions (it must be '*'); pulls are limited to the"
                        + " staging repository and pushes to the release repositories.");

        // Finalize writes the documents, release.json and, with updateNightlySchedule, nightly-schedule.json
        // (conditional GetObject/PutObject).
        finalizeRelease = function(
                "Finalize", "finalize", FINALIZE_HANDLER, FINALIZE_TIMEOUT, MEMORY_MB, release, storeEnvironment());
        objects(finalizeRelease, List.of("s3:GetObject", "s3:PutObject"), anyObject);

        // Failure writes the failure record: into the version, or under failures/ before there is one.
        failure = function(
                "Failure", "failure", FAILURE_HANDLER, FAILURE_TIMEOUT, MEMORY_MB, release, storeEnvironment());
        objects(failure, List.of("s3:PutObject"), prefix + VERSIONS + "*/failure.json", prefix + "failures/*");

        // NightlyPlan reads nightly-schedule.json and asks whether each next version is released.
        Map<String, String> nightlyEnvironment = storeEnvironment();
        if (!props.nightlyTargetEcrRepos().isEmpty()) {
            nightlyEnvironment.put(NIGHTLY_TARGET_ECR_REPOS, String.join(" ", props.nightlyTargetEcrRepos()));
        }
        String nightly = "step of the " + props.naming().prefix() + " nightly state machine";
        nightlyPlan = function(
                "NightlyPlan",
                "nightly-plan",
                NIGHTLY_PLAN_HANDLER,
                NIGHTLY_PLAN_TIMEOUT,
                MEMORY_MB,
                nightly,
                nightlyEnvironment);
        objects(
                nightlyPlan,
                List.of("s3:GetObject"),
                prefix + NIGHTLY_SCHEDULE_FILE,
                prefix + VERSIONS + "*/release.json");
    }

    private static String handler(String simpleName) {
        return "io.smdrelease.lambda." + simpleName + "::handleRequest";
    }

    /** The artifact store every function works on: the bucket and, when set, the key prefix. */
    private Map<String, String> storeEnvironment() {
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

    private static void allow(Deployed deployed, List<String> actions, List<String> resources) {
        deployed.role()
                .addToPolicy(PolicyStatement.Builder.create()
                        .actions(actions)
                        .resources(resources)
                        .build());
    }

    /**
     * {@code actions} on the bucket's objects matching {@code keys} (each relative to the bucket). Any reader may also
     * list the bucket, so that a missing object is "not found" (404), not "access denied".
     */
    private void objects(Deployed deployed, List<String> actions, String... keys) {
        List<String> arns =
                List.of(keys).stream().map(props.bucket()::arnForObjects).toList();
        allow(deployed, actions, arns);
        if (actions.contains("s3:GetObject")) {
            allow(deployed, List.of("s3:ListBucket"), List.of(props.bucket().getBucketArn()));
        }
        for (String arn : arns) {
            Nag.acknowledgeWildcardResource(
                    deployed.role(),
                    arn,
                    "The function works on any version directory of the artifact store"
                            + " (build_artifacts/vX/vX.Y/vX.Y.Z/, template/, assets/): object keys are only known at"
                            + " run time.");
        }
    }

    /** One function behind its alias, with its environment and a role that may only write its own log group so far. */
    private Deployed function(
            String id,
            String role,
            String handler,
            Duration timeout,
            int memoryMb,
            String description,
            Map<String, String> environment) {
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
        Alias alias = Alias.Builder.create(this, id + "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .description("The published version the state machine invokes (SnapStart)")
                .build();
        return new Deployed(alias, executionRole);
    }

    /** The alias of the Generate function; its ARN is what the state machine invokes. */
    public IFunction generate() {
        return generate.alias();
    }

    public IFunction gates() {
        return gates.alias();
    }

    public IFunction approval() {
        return approval.alias();
    }

    public IFunction promote() {
        return promote.alias();
    }

    public IFunction finalizeFunction() {
        return finalizeRelease.alias();
    }

    public IFunction failure() {
        return failure.alias();
    }

    /** The alias of the NightlyPlan function, invoked by the nightly state machine. */
    public IFunction nightlyPlan() {
        return nightlyPlan.alias();
    }

    /** The release state machine's functions, in the order of its states. */
    public List<IFunction> releaseSteps() {
        return List.of(generate(), gates(), approval(), promote(), finalizeFunction(), failure());
    }
}
