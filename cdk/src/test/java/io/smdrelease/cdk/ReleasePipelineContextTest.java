package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        template = TestStacks.template(Map.ofEntries(
                Map.entry(PipelineConfig.CREATE_ECR_REPOSITORIES, "false"),
                Map.entry(PipelineConfig.ECR_REPOSITORY_ARNS, REPO_A + "," + REPO_B),
                Map.entry(PipelineConfig.ALARM_EMAIL, "release-team@example.com"),
                Map.entry(PipelineConfig.NONCURRENT_VERSION_EXPIRATION_DAYS, "30"),
                Map.entry(PipelineConfig.ARTIFACT_STORE_PREFIX, "smd/"),
                Map.entry(PipelineConfig.GPU_BUILD_IMAGE, "pytorch-inference:2.6.0-gpu-py312-cu124-ubuntu22.04-ec2"),
                Map.entry(PipelineConfig.NIGHTLY_SCHEDULE_EXPRESSION, "cron(30 1 ? * TUE-SAT *)"),
                Map.entry(PipelineConfig.NIGHTLY_SCHEDULE_TIME_ZONE, "Europe/Berlin"),
                Map.entry(PipelineConfig.NIGHTLY_ENABLED, "false"),
                Map.entry(PipelineConfig.REPODATA_URLS, "https://mirror.example.com/cf/linux-64/repodata.json"),
                Map.entry(PipelineConfig.STAGING_REPOSITORY_NAME, "team/smd-candidates"),
                Map.entry(PipelineConfig.STAGING_IMAGE_EXPIRATION_DAYS, "7"),
                Map.entry(PipelineConfig.APPROVAL_EMAIL, "approvers@example.com")));
    }

    @Test
    void gates_readTheRepodataOfContext_andDescribeOnlyTheStagingRepository() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "FunctionName",
                        "smd-release-gates",
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectLike(Map.of(
                                        "REPODATA_URLS", "https://mirror.example.com/cf/linux-64/repodata.json"))))));
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyName", Match.stringLikeRegexp("^FunctionsGatesRole.*"),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Action",
                                                Match.arrayWith(List.of("ecr:DescribeImages")),
                                                "Resource",
                                                Map.of(
                                                        "Fn::GetAtt",
                                                        List.of(
                                                                Match.stringLikeRegexp("^ImageRepositoriesStaging.*"),
                                                                "Arn")))))))))));
    }

    @Test
    void stagingRepository_takesItsNameAndExpiryFromContext() {
        Map<String, Map<String, Object>> staging = template.findResources(
                "AWS::ECR::Repository",
                Match.objectLike(
                        Map.of("Properties", Match.objectLike(Map.of("RepositoryName", "team/smd-candidates")))));
        assertEquals(1, staging.size());
        String policy = String.valueOf(
                ReleasePipelineStackTest.properties(staging.values().iterator().next())
                        .get("LifecyclePolicy"));
        assertEquals(2, policy.split("\\\"countNumber\\\":7").length - 1, policy);
    }

    @Test
    void enhancedScanning_coversTheStagingRepository_unlessTurnedOff() {
        Template scanning = TestStacks.template(Map.of());
        scanning.hasResourceProperties(
                "AWS::ECR::RegistryScanningConfiguration",
                Match.objectLike(Map.of(
                        "ScanType",
                        "ENHANCED",
                        "Rules",
                        List.of(Map.of(
                                "ScanFrequency",
                                "CONTINUOUS_SCAN",
                                "RepositoryFilters",
                                List.of(Map.of("Filter", "smd-release-staging", "FilterType", "WILDCARD")))))));
        assertEquals(
                0,
                TestStacks.template(Map.of(PipelineConfig.ENHANCED_SCANNING, false))
                        .findResources("AWS::ECR::RegistryScanningConfiguration")
                        .size());
    }

    @Test
    void approvalEmail_subscribesToTheApprovalTopic() {
        template.hasResourceProperties(
                "AWS::SNS::Subscription",
                Match.objectLike(Map.of(
                        "Protocol", "email",
                        "Endpoint", "approvers@example.com",
                        "TopicArn", Map.of("Ref", Match.stringLikeRegexp("^ApprovalsTopic.*")))));
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
                                                Match.arrayWith(List.of(Map.of(
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
                                                                        "/smd/nightly-schedule.json"))))))))))))));
    }

    /** Only the staging repository is created; the existing release repositories are Promote's alone. */
    @Test
    void existingRepositories_areNotCreated_andOnlyPromotePushesToThem() {
        assertEquals(
                List.of("team/smd-candidates"),
                template.findResources("AWS::ECR::Repository").values().stream()
                        .map(r -> ReleasePipelineStackTest.properties(r).get("RepositoryName"))
                        .toList());
        Map<String, Map<String, Object>> pushers = template.findResources(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(Map.of(
                                "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Action", Match.arrayWith(List.of("ecr:PutImage")),
                                                "Resource", List.of(REPO_A, REPO_B))))))))))));
        assertEquals(1, pushers.size(), pushers.keySet().toString());
        assertTrue(
                pushers.keySet().iterator().next().startsWith("FunctionsPromoteRole"),
                pushers.keySet().toString());
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

    /** Every object permission but the signing objects', which AWS Signer's adapter keeps at the bucket's root. */
    @Test
    void storePrefix_reachesEveryFunctionAndNarrowsEveryObjectPermission() {
        template.resourcePropertiesCountIs(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Environment", Map.of("Variables", Match.objectLike(Map.of("ARTIFACT_STORE_PREFIX", "smd/"))))),
                7);
        int checked = 0;
        for (var policy : template.findResources("AWS::IAM::Policy").entrySet()) {
            for (Map<String, Object> statement : ReleasePipelineStackTest.statements(policy.getValue())) {
                boolean objects = ReleasePipelineStackTest.strings(statement.get("Action")).stream()
                        .anyMatch(a -> a.startsWith("s3:") && a.endsWith("Object"));
                String resource = String.valueOf(statement.get("Resource"));
                if (objects && resource.contains("ArtifactStorageBucket")) {
                    checked++;
                    for (String arn : resource.split("Fn::Join")) {
                        assertTrue(
                                !arn.contains("ArtifactStorageBucket")
                                        || arn.contains("/smd/")
                                        || arn.contains(", /" + SigningProfile.OBJECTS + "*]"),
                                policy.getKey() + ": " + resource);
                    }
                }
            }
        }
        assertTrue(checked >= 9, "object statements checked: " + checked);
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
