package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The stack with non-default context: existing repositories, an alarm email, a shorter expiration, a store prefix. */
class ReleasePipelineContextTest {
    static final String REPO_A = "arn:aws:ecr:us-east-1:123456789012:repository/sagemaker-distribution";
    static final String REPO_B = "arn:aws:ecr:us-west-2:123456789012:repository/team/smd";
    private static Template template;

    @BeforeAll
    static void synthesize() {
        template = TestStacks.template(Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES, "false",
                PipelineConfig.ECR_REPOSITORY_ARNS, REPO_A + "," + REPO_B,
                PipelineConfig.ALARM_EMAIL, "release-team@example.com",
                PipelineConfig.NONCURRENT_VERSION_EXPIRATION_DAYS, "30",
                PipelineConfig.ARTIFACT_STORE_PREFIX, "smd/",
                PipelineConfig.GPU_BUILD_IMAGE, "pytorch-inference:2.6.0-gpu-py312-cu124-ubuntu22.04-ec2",
                PipelineConfig.NIGHTLY_SCHEDULE_EXPRESSION, "cron(30 1 ? * TUE-SAT *)",
                PipelineConfig.NIGHTLY_SCHEDULE_TIME_ZONE, "Europe/Berlin",
                PipelineConfig.NIGHTLY_ENABLED, "false",
                PipelineConfig.REPODATA_URLS, "https://mirror.example.com/cf/linux-64/repodata.json"));
    }

    @Test
    void sizeGate_readsTheRepodataOfContext_andDescribesOnlyTheExistingRepositories() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "FunctionName",
                        "smd-release-size-gate",
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectLike(Map.of(
                                        "REPODATA_URLS", "https://mirror.example.com/cf/linux-64/repodata.json"))))));
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyName", Match.stringLikeRegexp("^FunctionsSizeGateRole.*"),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Action",
                                                "ecr:DescribeImages",
                                                "Resource",
                                                List.of(REPO_A, REPO_B))))))))));
    }

    @Test
    void nightlySchedule_takesCronTimeZoneAndStateFromContext() {
        template.hasResourceProperties(
                "AWS::Scheduler::Schedule",
                Match.objectLike(Map.of(
                        "ScheduleExpression", "cron(30 1 ? * TUE-SAT *)",
                        "ScheduleExpressionTimezone", "Europe/Berlin",
                        "FlexibleTimeWindow", Map.of("Mode", "OFF"),
                        "State", "DISABLED")));
    }

    /** Not creating repositories and no nightlyTargetEcrRepos: nightly builds are built and tested, not pushed. */
    @Test
    void nightlyPlan_readsOnlyThePrefixedScheduleAndHasNoTargetRepositories() {
        Map<String, Map<String, Object>> plan = template.findResources(
                "AWS::Lambda::Function",
                Match.objectLike(
                        Map.of("Properties", Match.objectLike(Map.of("FunctionName", "smd-release-nightly-plan")))));
        assertEquals(1, plan.size());
        Object variables = ((Map<?, ?>) ReleasePipelineStackTest.properties(
                                plan.values().iterator().next())
                        .get("Environment"))
                .get("Variables");
        assertEquals(java.util.Set.of("ARTIFACT_BUCKET", "ARTIFACT_STORE_PREFIX"), ((Map<?, ?>) variables).keySet());
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyName", Match.stringLikeRegexp("^FunctionsNightlyPlanRole.*"),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Action",
                                                "s3:GetObject",
                                                "Resource",
                                                Map.of(
                                                        "Fn::Join",
                                                        List.of(
                                                                "",
                                                                List.of(
                                                                        Map.of(
                                                                                "Fn::GetAtt",
                                                                                List.of(
                                                                                        Match.stringLikeRegexp(
                                                                                                "^ArtifactStorageBucket.*"),
                                                                                        "Arn")),
                                                                        "/smd/nightly-schedule.json"))))))))))));
    }

    @Test
    void existingRepositories_areNotCreatedAndAreTheOnlyPushTargets() {
        template.resourceCountIs("AWS::ECR::Repository", 0);
        template.resourcePropertiesCountIs(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Action", Match.arrayWith(List.of("ecr:PutImage")),
                                        "Resource", List.of(REPO_A, REPO_B))))))))),
                2);
    }

    @Test
    void alarmEmail_subscribesToTheAlertTopic() {
        template.hasResourceProperties(
                "AWS::SNS::Subscription",
                Match.objectLike(Map.of(
                        "Protocol", "email",
                        "Endpoint", "release-team@example.com",
                        "TopicArn", Map.of("Ref", Match.stringLikeRegexp("^AlertsTopic.*")))));
    }

    @Test
    void noncurrentVersionExpiration_comesFromContext() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "LifecycleConfiguration",
                        Map.of(
                                "Rules",
                                Match.arrayWith(List.of(Match.objectLike(
                                        Map.of("NoncurrentVersionExpiration", Map.of("NoncurrentDays", 30)))))))));
    }

    @Test
    void storePrefix_reachesTheFunctionsAndNarrowsObjectPermissions() {
        template.resourcePropertiesCountIs(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Environment", Map.of("Variables", Match.objectLike(Map.of("ARTIFACT_STORE_PREFIX", "smd/"))))),
                4);
        template.resourcePropertiesCountIs(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Action", Match.arrayWith(List.of("s3:GetObject", "s3:PutObject")),
                                        "Resource",
                                                Map.of(
                                                        "Fn::Join",
                                                        List.of(
                                                                "",
                                                                List.of(
                                                                        Map.of(
                                                                                "Fn::GetAtt",
                                                                                List.of(
                                                                                        Match.stringLikeRegexp(
                                                                                                "^ArtifactStorageBucket.*"),
                                                                                        "Arn")),
                                                                        "/smd/*"))))))))))),
                4);
    }

    @Test
    void gpuBuildImage_comesFromContext() {
        Map<String, Map<String, Object>> gpu = template.findResources(
                "AWS::CodeBuild::Project",
                Match.objectLike(Map.of("Properties", Match.objectLike(Map.of("Name", "smd-release-build-gpu")))));
        assertEquals(1, gpu.size());
        String image = String.valueOf(
                ReleasePipelineStackTest.properties(gpu.values().iterator().next())
                        .get("Environment"));
        org.junit.jupiter.api.Assertions.assertTrue(
                image.contains("/pytorch-inference:2.6.0-gpu-py312-cu124-ubuntu22.04-ec2"), image);
    }
}
