package io.smdrelease.cdk;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * The nightly state machine, defined by {@code statemachine/nightly.asl.json} and loaded like the release one
 * ({@link AslFile}: a file asset, placeholders filled by DefinitionSubstitutions). It asks the
 * NightlyPlan function what to build and runs the release state machine once per entry
 * ({@code states:startExecution.sync:2}). The role lists exactly what the definition calls.
 */
public final class NightlyStateMachine extends Construct {
    public static final String NIGHTLY_PLAN_FUNCTION_ARN = "NightlyPlanFunctionArn";
    public static final String RELEASE_STATE_MACHINE_ARN = "ReleaseStateMachineArn";
    /**
     * {@code arn:<partition>:states:<region>:<account>:execution:<release state machine>:}: a child's execution ARN is
     * this and the child's name, which the nightly names in its output and its failure.
     */
    public static final String RELEASE_EXECUTION_ARN_PREFIX = "ReleaseExecutionArnPrefix";
    /** The placeholders the ASL may use; a test checks the file uses no others. */
    public static final List<String> SUBSTITUTIONS =
            List.of(NIGHTLY_PLAN_FUNCTION_ARN, RELEASE_STATE_MACHINE_ARN, RELEASE_EXECUTION_ARN_PREFIX);

    static final RetentionDays LOG_RETENTION = RetentionDays.SIX_MONTHS;
    /** The rule Step Functions manages for states:startExecution.sync (service integration docs). */
    static final String EXECUTION_SYNC_RULE = "StepFunctionsGetEventsForStepFunctionsExecutionRule";

    /** What the definition refers to. */
    public record Props(Naming naming, Path definitionFile, IFunction nightlyPlan, IStateMachine release) {}

    private final StateMachine stateMachine;

    public NightlyStateMachine(Construct scope, String id, Props props) {
        super(scope, id);
        Naming naming = props.naming();
        Stack stack = Stack.of(this);
        String executionArnPrefix = "arn:" + stack.getPartition() + ":states:" + stack.getRegion() + ":"
                + stack.getAccount() + ":execution:" + naming.stateMachine() + ":";
        Map<String, String> substitutions = new LinkedHashMap<>();
        substitutions.put(NIGHTLY_PLAN_FUNCTION_ARN, props.nightlyPlan().getFunctionArn());
        substitutions.put(RELEASE_STATE_MACHINE_ARN, props.release().getStateMachineArn());
        substitutions.put(RELEASE_EXECUTION_ARN_PREFIX, executionArnPrefix);

        stateMachine = AslFile.stateMachine(
                this,
                naming.nightlyStateMachine(),
                naming.nightlyStateMachineLogGroup(),
                LOG_RETENTION,
                props.definitionFile(),
                substitutions,
                "Nightly releases of " + naming.prefix() + " from nightly-schedule.json");

        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("lambda:InvokeFunction"))
                .resources(List.of(props.nightlyPlan().getFunctionArn()))
                .build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("states:StartExecution"))
                .resources(List.of(props.release().getStateMachineArn()))
                .build());
        // startExecution.sync:2 polls and, when the nightly is stopped, stops the child executions
        String releaseExecutions = executionArnPrefix + "*";
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("states:DescribeExecution", "states:StopExecution"))
                .resources(List.of(releaseExecutions))
                .build());
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("events:PutTargets", "events:PutRule", "events:DescribeRule"))
                .resources(List.of("arn:" + stack.getPartition() + ":events:" + stack.getRegion() + ":"
                        + stack.getAccount() + ":rule/" + EXECUTION_SYNC_RULE))
                .build());

        Nag.acknowledgeWildcardResource(
                stateMachine.getRole(),
                releaseExecutions,
                "Executions of the release state machine " + naming.stateMachine()
                        + " only: their names (one per night and"
                        + " base version) are known at run time; startExecution.sync:2 describes and stops them.");
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
