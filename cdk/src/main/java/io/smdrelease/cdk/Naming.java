package io.smdrelease.cdk;

import software.amazon.awscdk.Tags;
import software.constructs.IConstruct;

/** Physical names and tags of every resource, in one place. */
public record Naming(String prefix) {

    public static final String PROJECT_TAG = "project";
    public static final String COMPONENT_TAG = "component";

    public String function(String role) {
        return prefix + "-" + role;
    }

    public String functionLogGroup(String role) {
        return "/aws/lambda/" + function(role);
    }

    public String buildProject(String imageType) {
        return prefix + "-build-" + imageType;
    }

    public String buildLogGroup(String imageType) {
        return "/aws/codebuild/" + buildProject(imageType);
    }

    public String stateMachine() {
        return prefix + "-release";
    }

    public String stateMachineLogGroup() {
        // the /aws/vendedlogs/ prefix keeps the log group's resource policy small (Step Functions docs)
        return "/aws/vendedlogs/states/" + stateMachine();
    }

    public String nightlyStateMachine() {
        return prefix + "-nightly";
    }

    public String nightlyStateMachineLogGroup() {
        return "/aws/vendedlogs/states/" + nightlyStateMachine();
    }

    public String nightlySchedule() {
        return prefix + "-nightly";
    }

    /** The default name of the staging repository, where the builds push candidates. */
    public String stagingRepository() {
        return prefix + "-staging";
    }

    public String approvalTopic() {
        return prefix + "-approvals";
    }

    public String alertTopic() {
        return prefix + "-release-alerts";
    }

    public String failedExecutionsRule() {
        return prefix + "-release-failed";
    }

    public String failedExecutionsAlarm() {
        return prefix + "-release-executions-failed";
    }

    /** Tags every taggable resource below {@code scope}. */
    public void tag(IConstruct scope) {
        Tags.of(scope).add(PROJECT_TAG, "smd-release");
        Tags.of(scope).add(COMPONENT_TAG, prefix);
    }
}
