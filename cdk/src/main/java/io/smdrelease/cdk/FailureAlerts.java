package io.smdrelease.cdk;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventField;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.targets.SnsTopic;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * Tells people when a release or a nightly did not succeed: an EventBridge rule on FAILED, TIMED_OUT and ABORTED
 * executions of the release and the nightly state machine sends a readable message to an SNS topic (optionally an
 * email subscription), and a CloudWatch alarm on the release state machine's ExecutionsFailed notifies the same topic.
 */
public final class FailureAlerts extends Construct {
    public static final List<String> ALERT_STATUSES = List.of("FAILED", "TIMED_OUT", "ABORTED");

    private final Topic topic;

    /**
     * @param stateMachine the release state machine (rule and alarm)
     * @param nightly the nightly state machine (rule)
     */
    public FailureAlerts(
            Construct scope,
            String id,
            Naming naming,
            IStateMachine stateMachine,
            IStateMachine nightly,
            Optional<String> alarmEmail) {
        super(scope, id);
        topic = Topic.Builder.create(this, "Topic")
                .topicName(naming.alertTopic())
                .displayName("Release failures (" + naming.prefix() + ")")
                .enforceSsl(true)
                .build();
        Nag.acknowledge(
                topic,
                "AwsSolutions-SNS2",
                "Messages carry only the execution name, status, error and cause, no secrets. A customer managed key would"
                        + " need key-policy grants for EventBridge and CloudWatch; an AWS managed key cannot be used by them.");
        alarmEmail.ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));

        Rule rule = Rule.Builder.create(this, "FailedExecutions")
                .ruleName(naming.failedExecutionsRule())
                .description("Executions of " + naming.stateMachine() + " and " + naming.nightlyStateMachine()
                        + " that did not succeed")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of("Step Functions Execution Status Change"))
                        .detail(Map.of(
                                "status",
                                ALERT_STATUSES,
                                "stateMachineArn",
                                List.of(stateMachine.getStateMachineArn(), nightly.getStateMachineArn())))
                        .build())
                .build();
        rule.addTarget(SnsTopic.Builder.create(topic)
                .message(RuleTargetInput.fromText("Execution " + EventField.fromPath("$.detail.name") + " of "
                        + EventField.fromPath("$.detail.stateMachineArn") + " ended "
                        + EventField.fromPath("$.detail.status") + ". Error: " + EventField.fromPath("$.detail.error")
                        + ". Cause: " + EventField.fromPath("$.detail.cause") + ". Execution: "
                        + EventField.fromPath("$.detail.executionArn")))
                .build());

        Alarm alarm = Alarm.Builder.create(this, "ExecutionsFailedAlarm")
                .alarmName(naming.failedExecutionsAlarm())
                .alarmDescription("A release execution of " + naming.stateMachine() + " failed")
                .metric(stateMachine.metricFailed(MetricOptions.builder()
                        .period(Duration.minutes(5))
                        .statistic("Sum")
                        .build()))
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchAlarms")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of(
                        "StringEquals",
                        Map.of("aws:SourceAccount", Stack.of(this).getAccount())))
                .build());
    }

    public ITopic topic() {
        return topic;
    }
}
