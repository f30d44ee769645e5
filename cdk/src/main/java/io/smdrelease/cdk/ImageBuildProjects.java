package io.smdrelease.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.codebuild.BuildEnvironment;
import software.amazon.awscdk.services.codebuild.BuildEnvironmentVariable;
import software.amazon.awscdk.services.codebuild.BuildSpec;
import software.amazon.awscdk.services.codebuild.CloudWatchLoggingOptions;
import software.amazon.awscdk.services.codebuild.ComputeType;
import software.amazon.awscdk.services.codebuild.IBuildImage;
import software.amazon.awscdk.services.codebuild.IProject;
import software.amazon.awscdk.services.codebuild.LinuxBuildImage;
import software.amazon.awscdk.services.codebuild.LinuxGpuBuildImage;
import software.amazon.awscdk.services.codebuild.LoggingOptions;
import software.amazon.awscdk.services.codebuild.Project;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * One CodeBuild project per image type running {@code buildspecs/build.yml}: build the image, write env.out back,
 * test it, push the tested image by digest to the STAGING repository (the candidate). Its role may push to and pull
 * from the staging repository only: release repositories are Promote's. The plan passes the per-release values as
 * environment overrides (docs/contract.md); the project's own variables are only defaults for a manual run.
 */
public final class ImageBuildProjects extends Construct {
    public static final String BUILDSPEC = "build.yml";
    public static final Duration TIMEOUT = Duration.hours(8);
    /** The account that publishes AWS Deep Learning Containers images in the commercial regions. */
    public static final String DLC_ACCOUNT = "763104351884";

    static final RetentionDays LOG_RETENTION = RetentionDays.SIX_MONTHS;
    /** Pushing needs these on the staging repository (buildah push, then reading the digest back). */
    static final List<String> ECR_PUSH_ACTIONS = List.of(
            "ecr:BatchCheckLayerAvailability",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage",
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
            "ecr:DescribeImages");

    /** What the projects need from the rest of the stack. */
    public record Props(
            Naming naming,
            String buildspecsDir,
            IBucket bucket,
            String artifactStorePrefix,
            String stagingRepositoryArn,
            String stagingRepositoryUri,
            String gpuBuildImage) {}

    private final Project cpu;
    private final Project gpu;

    public ImageBuildProjects(Construct scope, String id, Props props) {
        super(scope, id);
        Asset buildspecs = Asset.Builder.create(this, "Buildspecs")
                .path(props.buildspecsDir())
                .build();
        cpu = project("Cpu", "cpu", LinuxBuildImage.STANDARD_7_0, ComputeType.X_LARGE, buildspecs, List.of(), props);
        String[] image = props.gpuBuildImage().split(":", 2);
        // the GPU image is pulled with the project's role (SERVICE_ROLE credentials), so the role may pull exactly it
        Stack stack = Stack.of(this);
        String dlcRepository = "arn:" + stack.getPartition() + ":ecr:" + stack.getRegion() + ":" + DLC_ACCOUNT
                + ":repository/" + image[0];
        gpu = project(
                "Gpu",
                "gpu",
                LinuxGpuBuildImage.awsDeepLearningContainersImage(image[0], image[1], DLC_ACCOUNT),
                ComputeType.LARGE,
                buildspecs,
                List.of(PolicyStatement.Builder.create()
                        .actions(List.of(
                                "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"))
                        .resources(List.of(dlcRepository))
                        .build()),
                props);
        Nag.acknowledge(
                gpu,
                "AwsSolutions-CB5",
                "The GPU build image is an AWS Deep Learning Containers image (AWS managed, CUDA); its URI depends on the"
                        + " region, so the rule cannot resolve it.");
    }

    private Project project(
            String id,
            String imageType,
            IBuildImage buildImage,
            ComputeType computeType,
            Asset source,
            List<PolicyStatement> imagePull,
            Props props) {
        Naming naming = props.naming();
        LogGroup logGroup = LogGroup.Builder.create(this, id + "Logs")
                .logGroupName(naming.buildLogGroup(imageType))
                .retention(LOG_RETENTION)
                .build();
        Map<String, BuildEnvironmentVariable> defaults = new LinkedHashMap<>();
        defaults.put("ARTIFACT_BUCKET", plain(props.bucket().getBucketName()));
        defaults.put("IMAGE_TYPE", plain(imageType));
        defaults.put("SKIP_TESTS", plain("false"));
        defaults.put("STAGING_REPO", plain(props.stagingRepositoryUri()));
        // CDK's own grants to a project role (default log group, report groups) have resource patterns that cdk-nag v3
        // cannot acknowledge, so the role is handed to the project read-only and this policy lists every permission.
        Role role = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("codebuild.amazonaws.com"))
                .description("Runs the " + imageType + " image build of " + naming.prefix())
                .build();
        String objects = props.bucket().arnForObjects(props.artifactStorePrefix() + "*");
        // a build runs third-party packages: it reads the version and the tests, and writes only under incoming/,
        // from where the gates step moves its results into the version after checking them
        String incoming = props.bucket().arnForObjects(props.artifactStorePrefix() + "incoming/*");
        Policy policy = Policy.Builder.create(this, id + "Policy")
                .roles(List.of(role))
                .statements(Stream.concat(
                                imagePull.stream(),
                                Stream.of(
                                        statement(
                                                List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                                                logGroup.getLogGroupArn()),
                                        statement(
                                                List.of("s3:GetObject", "s3:GetObjectVersion"),
                                                source.getBucket().arnForObjects(source.getS3ObjectKey())),
                                        statement(
                                                List.of("s3:GetBucketAcl", "s3:GetBucketLocation"),
                                                source.getBucket().getBucketArn()),
                                        statement(
                                                List.of("s3:ListBucket"),
                                                props.bucket().getBucketArn()),
                                        statement(List.of("s3:GetObject"), objects),
                                        statement(List.of("s3:PutObject"), incoming),
                                        statement(List.of("ecr:GetAuthorizationToken"), "*"),
                                        PolicyStatement.Builder.create()
                                                .actions(ECR_PUSH_ACTIONS)
                                                .resources(List.of(props.stagingRepositoryArn()))
                                                .build()))
                        .toList())
                .build();
        Nag.acknowledgeWildcardResource(
                policy,
                objects,
                "The build reads the version directory it is given at run time (ARTIFACT_PREFIX) and the test/ files:"
                        + " keys are only known at run time.");
        Nag.acknowledgeWildcardResource(
                policy,
                incoming,
                "The build writes its results (env.out, test report, candidate record) only under incoming/<run>/<type>"
                        + " (RESULTS_PREFIX), known at run time; the gates step checks them and moves them into the"
                        + " version.");
        Nag.acknowledgeWildcardResource(
                policy,
                "*",
                "ecr:GetAuthorizationToken has no resource-level permissions (it must be '*'); push actions are limited"
                        + " to the staging repository.");

        Project project = Project.Builder.create(this, id)
                .projectName(naming.buildProject(imageType))
                .description(
                        "Builds, tests and pushes the " + imageType + " image of a release (" + naming.prefix() + ")")
                .source(new S3AssetSource(source))
                .buildSpec(BuildSpec.fromSourceFilename(BUILDSPEC))
                .environment(BuildEnvironment.builder()
                        .buildImage(buildImage)
                        .computeType(computeType)
                        .privileged(true)
                        .build())
                .environmentVariables(defaults)
                .timeout(TIMEOUT)
                .role(role.withoutPolicyUpdates())
                .logging(LoggingOptions.builder()
                        .cloudWatch(CloudWatchLoggingOptions.builder()
                                .logGroup(logGroup)
                                .build())
                        .build())
                .build();
        project.getNode().addDependency(policy);
        Nag.acknowledge(
                project,
                "AwsSolutions-CB3",
                "Privileged mode is required to build container images inside the build container (buildah/docker).");
        Nag.acknowledge(
                project,
                "AwsSolutions-CB4",
                "The project produces no CodeBuild artifacts (NO_ARTIFACTS); what the build writes goes to the artifact"
                        + " bucket, which is encrypted (SSE-S3) and TLS-only.");
        return project;
    }

    private static PolicyStatement statement(List<String> actions, String resource) {
        return PolicyStatement.Builder.create()
                .actions(actions)
                .resources(List.of(resource))
                .build();
    }

    private static BuildEnvironmentVariable plain(String value) {
        return BuildEnvironmentVariable.builder().value(value).build();
    }

    public IProject cpu() {
        return cpu;
    }

    public IProject gpu() {
        return gpu;
    }
}
