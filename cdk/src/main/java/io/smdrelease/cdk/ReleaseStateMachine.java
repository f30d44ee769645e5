package io.smdrelease.cdk;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.codebuild.IProject;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * The release state machine, defined by {@code statemachine/release.asl.json}, deployed as a file asset
 * ({@link AslFile}) whose {@code ${Placeholders}} CloudFormation fills (DefinitionSubstitutions): the aliases of the six
 * functions it invokes. The role lists exactly what the definition calls: those aliases (the approval one with
 * {@code .waitForTaskToken}, which is a plain invoke to IAM) and the CodeBuild projects.
 */
public final class ReleaseStateMachine extends Construct {
    public static final String GENERATE_FUNCTION_ARN = "GenerateFunctionArn";
    public static final String GATES_FUNCTION_ARN = "GatesFunctionArn";
    public static final String APPROVAL_FUNCTION_ARN = "ApprovalFunctionArn";
    public static final String PROMOTE_FUNCTION_ARN = "PromoteFunctionArn";
    public static final String FINALIZE_FUNCTION_ARN = "FinalizeFunctionArn";
    public static final String FAILURE_FUNCTION_ARN = "FailureFunctionArn";
    /** The placeholders the ASL may use, in the order of ReleaseFunctions#releaseSteps; a test checks the file. */
    public static final List<String> SUBSTITUTIONS = List.of(
            GENERATE_FUNCTION_ARN,
            GATES_FUNCTION_ARN,
            APPROVAL_FUNCTION_ARN,
            PROMOTE_FUNCTION_ARN,
            FINALIZE_FUNCTION_ARN,
            FAILURE_FUNCTION_ARN);

    static final RetentionDays LOG_RETENTION = RetentionDays.SIX_MONTHS;
    /** The rule Step Functions manages for codebuild:startBuild.sync (service integration docs). */
    static final String CODEBUILD_SYNC_RULE = "StepFunctionsGetEventForCodeBuildStartBuildRule";

    /**
     * What the definition refers to.
     *
     * @param steps the aliases of the functions the states invoke, in the order of {@link #SUBSTITUTIONS}
     */
    public record Props(Naming naming, Path definitionFile, List<IFunction> steps, List<IProject> buildProjects) {
        public Props {
            if (steps.size() != SUBSTITUTIONS.size()) {
                throw new IllegalArgumentException("one function per placeholder " + SUBSTITUTIONS + ": " + steps);
            }
            steps = List.copyOf(steps);
            buildProjects = List.copyOf(buildProjects);
        }
    }

    private final StateMachine stateMachine;

    public ReleaseStateMachine(Construct scope, String id, Props props) {
        super(scope, id);
        Naming naming = props.naming();
        Map<String, String> substitutions = new LinkedHashMap<>();
        for (int i = 0; i < SUBSTITUTIONS.size(); i++) {
            substitutions.put(SUBSTITUTIONS.get(i), props.steps().get(i).getFunctionArn());
        }

        stateMachine = AslFile.stateMachine(
                this,
                naming.stateMachine(),
                naming.stateMachineLogGroup(),
                LOG_RETENTION,
                props.definitionFile(),
                substitutions,
                "Release of conda-based container images: " + naming.prefix());

        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("lambda:InvokeFunction"))
                .resources(props.steps().stream().map(IFunction::getFunctionArn).toList())
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
