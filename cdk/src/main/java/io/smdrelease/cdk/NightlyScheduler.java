package io.smdrelease.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * The EventBridge Scheduler schedule that starts the nightly state machine (by default Monday to Friday at 00:00
 * UTC, like the original nightly workflow), at the exact time (no flexible window), with a role that can do nothing
 * but {@code states:StartExecution} on that state machine.
 */
public final class NightlyScheduler extends Construct {
    /** The nightly state machine ignores its input; the plan comes from nightly-schedule.json. */
    public static final String INPUT = "{}";

    /** The configured schedule. */
    public record Props(Naming naming, IStateMachine nightly, String expression, String timeZone, boolean enabled) {}

    private final CfnSchedule schedule;
    private final Role role;

    public NightlyScheduler(Construct scope, String id, Props props) {
        super(scope, id);
        String account = Stack.of(this).getAccount();
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com")
                        .withConditions(Map.of("StringEquals", Map.of("aws:SourceAccount", account))))
                .description(
                        "Lets the " + props.naming().nightlySchedule() + " schedule start the nightly state machine")
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("states:StartExecution"))
                .resources(List.of(props.nightly().getStateMachineArn()))
                .build());

        schedule = CfnSchedule.Builder.create(this, "Schedule")
                .name(props.naming().nightlySchedule())
                .description("Starts " + props.naming().nightlyStateMachine()
                        + ": the nightly releases of nightly-schedule.json")
                .scheduleExpression(props.expression())
                .scheduleExpressionTimezone(props.timeZone())
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder()
                        .mode("OFF")
                        .build())
                .state(props.enabled() ? "ENABLED" : "DISABLED")
                .target(CfnSchedule.TargetProperty.builder()
                        .arn(props.nightly().getStateMachineArn())
                        .roleArn(role.getRoleArn())
                        .input(INPUT)
                        // a nightly that could not start within an hour is skipped rather than started in the working
                        // day
                        .retryPolicy(CfnSchedule.RetryPolicyProperty.builder()
                                .maximumRetryAttempts(3)
                                .maximumEventAgeInSeconds(3600)
                                .build())
                        .build())
                .build();
        // the role's policy must exist before the schedule first fires
        schedule.getNode().addDependency(role);
    }

    public CfnSchedule schedule() {
        return schedule;
    }

    public Role role() {
        return role;
    }
}
