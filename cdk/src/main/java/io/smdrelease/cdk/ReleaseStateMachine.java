package io.smdrelease.cdk;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.codebuild.IProject;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The release state machine, defined by {@code statemachine/release.asl.json}, deployed as a file asset
 * ({@link AslFile}) whose {@code ${Placeholders}} CloudFormation fills (DefinitionSubstitutions). The role lists exactly
 * what the definition calls.
 */
public final class ReleaseStateMachine extends Construct {
    public static final String GENERATE_FUNCTION_ARN = "GenerateFunctionArn";
    public static final String FINALIZE_FUNCTION_ARN = "FinalizeFunctionArn";
    public static final String SIZE_GATE_FUNCTION_ARN = "SizeGateFunctionArn";
    public static final String ARTIFACT_BUCKET = "ArtifactBucket";
    /** The placeholders the ASL may use; a test checks the file uses no others. */
    public static final List<String> SUBSTITUTIONS =
            List.of(GENERATE_FUNCTION_ARN, SIZE_GATE_FUNCTION_ARN, FINALIZE_FUNCTION_ARN, ARTIFACT_BUCKET);

    static final RetentionDays LOG_RETENTION = RetentionDays.SIX_MONTHS;
    /** The rule Step Functions manages for codebuild:startBuild.sync (service integration docs). */
    static final String CODEBUILD_SYNC_RULE = "StepFunctionsGetEventForCodeBuildStartBuildRule";

    /** What the definition refers to. */
    public record Props(
            Naming naming,
            Path definitionFile,
            IFunction generate,
            IFunction sizeGate,
            IFunction finalizeFunction,
            IBucket bucket,
            String artifactStorePrefix,
            List<IProject> buildProjects) {}

    private final StateMachine stateMachine;

    public ReleaseStateMachine(Construct scope, String id, Props props) {
        super(scope, id);
        Naming naming = props.naming();
        Map<String, String> substitutions = new LinkedHashMap<>();
        substitutions.put(GENERATE_FUNCTION_ARN, props.generate().getFunctionArn());
        substitutions.put(SIZE_GATE_FUNCTION_ARN, props.sizeGate().getFunctionArn());
        substitutions.put(FINALIZE_FUNCTION_ARN, props.finalizeFunction().getFunctionArn());
        substitutions.put(ARTIFACT_BUCKET, props.bucket().getBucketName());

        LogGroup logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName(naming.stateMachineLogGroup())
                .retention(LOG_RETENTION)
                .build();
        stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(naming.stateMachine())
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(AslFile.definitionBody(props.definitionFile()))
                .definitionSubstitutions(substitutions)
                .logs(LogOptions.builder()
                        .destination(logGroup)
                        .level(LogLevel.ALL)
                        .includeExecutionData(true)
                        .build())
                .tracingEnabled(true)
                .comment("Release of conda-based container images: " + naming.prefix())
                .build();

        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("lambda:InvokeFunction"))
                .resources(List.of(
                        props.generate().getFunctionArn(),
                        props.sizeGate().getFunctionArn(),
                        props.finalizeFunction().getFunctionArn()))
                .build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("codebuild:StartBuild", "codebuild:StopBuild", "codebuild:BatchGetBuilds"))
                .resources(props.buildProjects().stream()
                        .map(IProject::getProjectArn)
                        .toList())
                .build());
        Stack stack = Stack.of(this);
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("events:PutTargets", "events:PutRule", "events:DescribeRule"))
                .resources(List.of("arn:" + stack.getPartition() + ":events:" + stack.getRegion() + ":"
                        + stack.getAccount() + ":rule/" + CODEBUILD_SYNC_RULE))
                .build());
        // 'Record failure' writes failure.json into the version directory, or failures/<execution>.json before one
        // exists
        String versionFailures = props.bucket().arnForObjects(props.artifactStorePrefix() + "*/failure.json");
        String earlyFailures = props.bucket().arnForObjects("failures/*");
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject"))
                .resources(List.of(versionFailures, earlyFailures))
                .build());

        String reason = "failure.json keys contain the version directory or the execution name, known only at run time;"
                + " the state machine can write nothing else.";
        Nag.acknowledgeWildcardResource(stateMachine.getRole(), versionFailures, reason);
        Nag.acknowledgeWildcardResource(stateMachine.getRole(), earlyFailures, reason);
        Nag.acknowledgeWildcardResource(
                stateMachine.getRole(),
                "*",
                "Added by CDK for logging (logs:*LogDelivery, logs:PutResourcePolicy, logs:Describe*: no resource-level"
                        + " permissions) and X-Ray (xray:PutTraceSegments etc.: resource '*' only); actions are listed, not"
                        + " wildcards.");
    }

    public IStateMachine stateMachine() {
        return stateMachine;
    }
}
