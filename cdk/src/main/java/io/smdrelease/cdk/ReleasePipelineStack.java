package io.smdrelease.cdk;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ecr.IRepository;
import software.constructs.Construct;

/**
 * The release pipeline in two phases (docs/contract.md): the artifact bucket, the staging and release repositories, the
 * CodeBuild projects that build candidates into staging, one function per handler (Generate, Gates, Approval, Promote,
 * Finalize, Failure, NightlyPlan), the approval topic, the release and the nightly state machine, the nightly
 * schedule, alerts.
 */
public final class ReleasePipelineStack extends Stack {
    public static final String SAMPLE_INPUT = "{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\"}";

    private final ArtifactStorage storage;
    private final ImageRepositories repositories;
    private final ImageBuildProjects projects;
    private final ApprovalTopic approvals;
    private final ReleaseFunctions functions;
    private final ReleaseStateMachine release;
    private final NightlyStateMachine nightly;
    private final NightlyScheduler nightlySchedule;
    private final FailureAlerts alerts;

    public ReleasePipelineStack(Construct scope, String id, StackProps props, PipelineConfig config) {
        super(scope, id, props);
        Naming naming = new Naming(config.namePrefix());
        naming.tag(this);

        storage = new ArtifactStorage(this, "ArtifactStorage", config.noncurrentVersionExpirationDays());
        repositories = new ImageRepositories(this, "ImageRepositories", config);
        projects = new ImageBuildProjects(
                this,
                "ImageBuilds",
                new ImageBuildProjects.Props(
                        naming,
                        config.buildspecsDir().toString(),
                        storage.bucket(),
                        config.artifactStorePrefix(),
                        repositories.staging().getRepositoryArn(),
                        repositories.staging().getRepositoryUri(),
                        config.gpuBuildImage()));
        approvals = new ApprovalTopic(this, "Approvals", naming, config.approvalEmail());
        functions = new ReleaseFunctions(
                this,
                "Functions",
                new ReleaseFunctions.Props(
                        naming,
                        config.functionsJar(),
                        storage.bucket(),
                        config.artifactStorePrefix(),
                        new TreeMap<>(Map.of("cpu", naming.buildProject("cpu"), "gpu", naming.buildProject("gpu"))),
                        repositories.staging(),
                        repositories.repositories(),
                        approvals.topic(),
                        nightlyTargetEcrRepos(config, repositories),
                        config.repodataUrls(),
                        new SigningProfile(config.signingProfile(), config.signingCertificateArn())));
        release = new ReleaseStateMachine(
                this,
                "Release",
                new ReleaseStateMachine.Props(
                        naming,
                        config.stateMachineFile(),
                        functions.releaseSteps(),
                        List.of(projects.cpu(), projects.gpu())));
        nightly = new NightlyStateMachine(
                this,
                "Nightly",
                new NightlyStateMachine.Props(
                        naming, config.nightlyStateMachineFile(), functions.nightlyPlan(), release.stateMachine()));
        nightlySchedule = new NightlyScheduler(
                this,
                "NightlySchedule",
                new NightlyScheduler.Props(
                        naming,
                        nightly.stateMachine(),
                        config.nightlyScheduleExpression(),
                        config.nightlyScheduleTimeZone(),
                        config.nightlyEnabled()));
        alerts = new FailureAlerts(
                this, "Alerts", naming, release.stateMachine(), nightly.stateMachine(), config.alarmEmail());

        String arn = release.stateMachine().getStateMachineArn();
        CfnOutput.Builder.create(this, "StateMachineArn")
                .description("The release state machine")
                .value(arn)
                .build();
        CfnOutput.Builder.create(this, "ArtifactBucketName")
                .description("Bucket holding build_artifacts/, template/, assets/, test/ and failure reports")
                .value(storage.bucket().getBucketName())
                .build();
        CfnOutput.Builder.create(this, "AlertTopicArn")
                .description("SNS topic told about failed, timed-out and aborted releases")
                .value(alerts.topic().getTopicArn())
                .build();
        CfnOutput.Builder.create(this, "StagingRepositoryUri")
                .description("Where the builds push candidates (candidate-<version>-<type>-<run>), Promote copies from")
                .value(repositories.staging().getRepositoryUri())
                .build();
        CfnOutput.Builder.create(this, "ApprovalTopicArn")
                .description("SNS topic of approval requests (approval: true)")
                .value(approvals.topic().getTopicArn())
                .build();
        CfnOutput.Builder.create(this, "StartReleaseCommand")
                .description("Starts a patch release of the latest version")
                .value("aws stepfunctions start-execution --state-machine-arn " + arn + " --input '" + SAMPLE_INPUT
                        + "'")
                .build();
        String nightlyArn = nightly.stateMachine().getStateMachineArn();
        CfnOutput.Builder.create(this, "NightlyStateMachineArn")
                .description("The nightly state machine (started by the " + naming.nightlySchedule() + " schedule)")
                .value(nightlyArn)
                .build();
        CfnOutput.Builder.create(this, "StartNightlyCommand")
                .description("Runs the nightly releases of nightly-schedule.json now")
                .value("aws stepfunctions start-execution --state-machine-arn " + nightlyArn + " --input '"
                        + NightlyScheduler.INPUT + "'")
                .build();
    }

    /** {@code nightlyTargetEcrRepos}, else the URIs of the repositories this stack creates, else none. */
    private static List<String> nightlyTargetEcrRepos(PipelineConfig config, ImageRepositories repositories) {
        return config.nightlyTargetEcrRepos()
                .orElseGet(() -> config.createEcrRepositories()
                        ? repositories.repositories().stream()
                                .map(IRepository::getRepositoryUri)
                                .toList()
                        : List.of());
    }

    public ArtifactStorage storage() {
        return storage;
    }

    public ReleaseFunctions functions() {
        return functions;
    }

    public ImageRepositories repositories() {
        return repositories;
    }

    public ApprovalTopic approvals() {
        return approvals;
    }

    public ImageBuildProjects projects() {
        return projects;
    }

    public ReleaseStateMachine release() {
        return release;
    }

    public NightlyStateMachine nightly() {
        return nightly;
    }

    public NightlyScheduler nightlySchedule() {
        return nightlySchedule;
    }
}
