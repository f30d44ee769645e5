package io.smdrelease.cdk;

import static io.smdrelease.cdk.ReleasePipelineStackTest.properties;
import static io.smdrelease.cdk.ReleasePipelineStackTest.statements;
import static io.smdrelease.cdk.ReleasePipelineStackTest.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The nightly part of the stack with the default context: plan function, nightly state machine, schedule. */
class NightlyStackTest {
    private static TestStacks.Synthesized synthesized;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        synthesized = TestStacks.synthesize(Map.of());
        template = synthesized.template();
    }

    // ---- schedule --------------------------------------------------------------------------------------------------

    @Test
    void schedule_startsTheNightlyStateMachineMondayToFridayAtMidnightUtcWithoutFlexibleWindow() {
        template.resourceCountIs("AWS::Scheduler::Schedule", 1);
        template.hasResourceProperties(
                "AWS::Scheduler::Schedule",
                Match.objectLike(Map.of(
                        "Name", "smd-release-nightly",
                        "ScheduleExpression", "cron(0 0 ? * MON-FRI *)",
                        "ScheduleExpressionTimezone", "UTC",
                        "FlexibleTimeWindow", Map.of("Mode", "OFF"),
                        "State", "ENABLED",
                        "Target",
                                Match.objectLike(Map.of(
                                        "Arn", Map.of("Ref", nightlyStateMachineId()),
                                        "RoleArn", Map.of("Fn::GetAtt", List.of(schedulerRoleId(), "Arn")),
                                        "Input", "{}")))));
    }

    @Test
    void schedulerRole_isAssumableOnlyBySchedulerFromThisAccount() {
        Map<String, Object> role =
                properties(template.findResources("AWS::IAM::Role").get(schedulerRoleId()));
        assertEquals(
                Map.of(
                        "Version",
                        "2012-10-17",
                        "Statement",
                        List.of(Map.of(
                                "Action",
                                "sts:AssumeRole",
                                "Effect",
                                "Allow",
                                "Principal",
                                Map.of("Service", "scheduler.amazonaws.com"),
                                "Condition",
                                Map.of("StringEquals", Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")))))),
                role.get("AssumeRolePolicyDocument"));
        assertTrue(!role.containsKey("ManagedPolicyArns") && !role.containsKey("Policies"), role.toString());
    }

    @Test
    void schedulerRole_mayOnlyStartTheNightlyStateMachine() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> policy :
                template.findResources("AWS::IAM::Policy").values()) {
            if (strings(properties(policy).get("Roles"))
                    .contains(Map.of("Ref", schedulerRoleId()).toString())) {
                all.addAll(statements(policy));
            }
        }
        assertEquals(
                List.of(Map.of(
                        "Action", "states:StartExecution",
                        "Effect", "Allow",
                        "Resource", Map.of("Ref", nightlyStateMachineId()))),
                all);
    }

    // ---- nightly state machine -------------------------------------------------------------------------------------

    @Test
    void nightlyStateMachine_logsAllWithExecutionDataAndTraces() {
        template.hasResourceProperties(
                "AWS::StepFunctions::StateMachine",
                Match.objectLike(Map.of(
                        "StateMachineName",
                        "smd-release-nightly",
                        "StateMachineType",
                        "STANDARD",
                        "LoggingConfiguration",
                        Match.objectLike(Map.of(
                                "Level",
                                "ALL",
                                "IncludeExecutionData",
                                true,
                                "Destinations",
                                List.of(Map.of(
                                        "CloudWatchLogsLogGroup",
                                        Map.of(
                                                "LogGroupArn",
                                                Map.of(
                                                        "Fn::GetAtt",
                                                        List.of(Match.stringLikeRegexp("^NightlyLogs.*"), "Arn"))))))),
                        "TracingConfiguration",
                        Map.of("Enabled", true))));
        template.hasResourceProperties(
                "AWS::Logs::LogGroup",
                Match.objectLike(
                        Map.of("LogGroupName", "/aws/vendedlogs/states/smd-release-nightly", "RetentionInDays", 180)));
    }

    @Test
    void nightlyStateMachine_isTheAslFileWithThePlanFunctionAndTheReleaseStateMachine() throws Exception {
        template.hasResourceProperties(
                "AWS::StepFunctions::StateMachine",
                Match.objectLike(Map.of(
                        "StateMachineName",
                        "smd-release-nightly",
                        "DefinitionS3Location",
                        Map.of("Bucket", Match.anyValue(), "Key", Match.stringLikeRegexp("^[0-9a-f]{64}\\.json$")),
                        "DefinitionSubstitutions",
                        Map.of(
                                NightlyStateMachine.NIGHTLY_PLAN_FUNCTION_ARN,
                                Map.of("Ref", Match.stringLikeRegexp("^FunctionsNightlyPlanAlias.*")),
                                NightlyStateMachine.RELEASE_STATE_MACHINE_ARN,
                                Map.of("Ref", Match.stringLikeRegexp("^ReleaseStateMachine.*")),
                                NightlyStateMachine.RELEASE_EXECUTION_ARN_PREFIX,
                                Map.of(
                                        "Fn::Join",
                                        List.of(
                                                "",
                                                List.of(
                                                        "arn:",
                                                        Map.of("Ref", "AWS::Partition"),
                                                        ":states:",
                                                        Map.of("Ref", "AWS::Region"),
                                                        ":",
                                                        Map.of("Ref", "AWS::AccountId"),
                                                        ":execution:smd-release-release:")))))));
        String asl = synthesized.definition("smd-release-nightly");
        assertEquals(java.nio.file.Files.readString(NightlyAslTest.FILE), asl);
        assertTrue(asl.contains("${" + NightlyStateMachine.NIGHTLY_PLAN_FUNCTION_ARN + "}"));
        assertTrue(asl.contains("arn:aws:states:::states:startExecution.sync:2"));
    }

    /** Exactly what the definition calls; CDK adds the logging and X-Ray statements (listed actions on '*'). */
    @Test
    void nightlyStateMachineRole_invokesThePlanAndRunsOnlyTheReleaseStateMachine() {
        Map<String, Map<String, Object>> policies = template.findResources(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(Map.of("PolicyName", Match.stringLikeRegexp("^NightlyStateMachineRole.*"))))));
        assertEquals(1, policies.size());
        Map<String, Object> byAction = new java.util.HashMap<>();
        Set<String> actions = new TreeSet<>();
        for (Map<String, Object> statement :
                statements(policies.values().iterator().next())) {
            assertEquals("Allow", statement.get("Effect"));
            for (String action : strings(statement.get("Action"))) {
                actions.add(action);
                byAction.put(action, statement.get("Resource"));
            }
        }
        Set<String> service = new TreeSet<>(actions.stream()
                .filter(a -> !a.startsWith("logs:") && !a.startsWith("xray:"))
                .toList());
        assertEquals(
                new TreeSet<>(List.of(
                        "lambda:InvokeFunction",
                        "states:StartExecution",
                        "states:DescribeExecution",
                        "states:StopExecution",
                        "events:PutTargets",
                        "events:PutRule",
                        "events:DescribeRule")),
                service);
        assertEquals(Map.of("Ref", planAliasId()), byAction.get("lambda:InvokeFunction"));
        assertEquals(Map.of("Ref", releaseStateMachineId()), byAction.get("states:StartExecution"));
        String executions = byAction.get("states:DescribeExecution").toString();
        assertEquals(executions, byAction.get("states:StopExecution").toString());
        assertTrue(
                executions.contains(":execution:smd-release-release:*")
                        && executions.contains("AWS::Region")
                        && executions.contains("AWS::AccountId"),
                "only the release state machine's executions: " + executions);
        String rule = byAction.get("events:PutRule").toString();
        assertTrue(rule.contains(":rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"), rule);
        assertEquals(rule, byAction.get("events:PutTargets").toString());
    }

    // ---- plan function ---------------------------------------------------------------------------------------------

    @Test
    void planFunction_runsLikeTheOthersWithTheBucketAndTheCreatedRepositories() {
        Capture repos = new Capture();
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "FunctionName",
                        "smd-release-nightly-plan",
                        "Handler",
                        ReleaseFunctions.NIGHTLY_PLAN_HANDLER,
                        "Runtime",
                        "java21",
                        "Architectures",
                        List.of("arm64"),
                        "SnapStart",
                        Map.of("ApplyOn", "PublishedVersions"),
                        "MemorySize",
                        ReleaseFunctions.MEMORY_MB,
                        "Timeout",
                        60,
                        "LoggingConfig",
                        Match.objectLike(Map.of("LogGroup", Match.anyValue())),
                        "Environment",
                        Map.of(
                                "Variables",
                                Map.of(
                                        "ARTIFACT_BUCKET",
                                        Map.of("Ref", Match.stringLikeRegexp("^ArtifactStorageBucket.*")),
                                        "NIGHTLY_TARGET_ECR_REPOS",
                                        repos)))));
        String uri = repos.asObject().toString();
        assertTrue(uri.contains(".dkr.ecr.") && uri.contains(repositoryId()), "the created repository's URI: " + uri);
        template.hasResourceProperties(
                "AWS::Lambda::Alias",
                Match.objectLike(Map.of(
                        "Name",
                        ReleaseFunctions.ALIAS,
                        "FunctionName",
                        Map.of("Ref", Match.stringLikeRegexp("^FunctionsNightlyPlan[0-9A-F]{8}$")))));
        template.hasResourceProperties(
                "AWS::Logs::LogGroup",
                Match.objectLike(
                        Map.of("LogGroupName", "/aws/lambda/smd-release-nightly-plan", "RetentionInDays", 90)));
    }

    /** The schedule, and whether each next version is released (a missing release.json is a 404: ListBucket). */
    @Test
    void planFunctionRole_readsOnlyTheScheduleAndTheReleaseRecords() {
        Map<String, Map<String, Object>> policies = template.findResources(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(
                                Map.of("PolicyName", Match.stringLikeRegexp("^FunctionsNightlyPlanRole.*"))))));
        assertEquals(1, policies.size());
        List<Map<String, Object>> statements =
                statements(policies.values().iterator().next());
        assertEquals(3, statements.size(), statements.toString());
        Map<String, Object> read = statements.stream()
                .filter(s -> strings(s.get("Action")).contains("s3:GetObject"))
                .findFirst()
                .orElseThrow();
        assertEquals("s3:GetObject", read.get("Action"));
        assertEquals(
                List.of(
                        Map.of(
                                "Fn::Join",
                                List.of(
                                        "",
                                        List.of(
                                                Map.of("Fn::GetAtt", List.of(bucketId(), "Arn")),
                                                "/build_artifacts/*/release.json"))),
                        Map.of(
                                "Fn::Join",
                                List.of(
                                        "",
                                        List.of(
                                                Map.of("Fn::GetAtt", List.of(bucketId(), "Arn")),
                                                "/nightly-schedule.json")))),
                read.get("Resource"));
        List<String> actions = statements.stream()
                .flatMap(s -> strings(s.get("Action")).stream())
                .sorted()
                .toList();
        assertEquals(List.of("logs:CreateLogStream", "logs:PutLogEvents", "s3:GetObject", "s3:ListBucket"), actions);
    }

    /** Finalize updates nightly-schedule.json (add-next-versions) with a conditional GetObject/PutObject. */
    @Test
    void finalizeRole_mayReadAndWriteTheScheduleFile() {
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyName", Match.stringLikeRegexp("^FunctionsFinalizeRole.*"),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Action", List.of("s3:GetObject", "s3:PutObject"),
                                                "Resource",
                                                        Map.of(
                                                                "Fn::Join",
                                                                List.of(
                                                                        "",
                                                                        List.of(
                                                                                Map.of(
                                                                                        "Fn::GetAtt",
                                                                                        List.of(bucketId(), "Arn")),
                                                                                "/*"))))))))))));
    }

    @Test
    void explicitNightlyTargetEcrRepos_replaceTheCreatedRepositories() {
        Template custom = TestStacks.template(Map.of(
                PipelineConfig.NIGHTLY_TARGET_ECR_REPOS,
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/smd-nightly, localhost:5000/smd"));
        custom.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(
                        Map.of(
                                "FunctionName",
                                "smd-release-nightly-plan",
                                "Environment",
                                Map.of(
                                        "Variables",
                                        Match.objectLike(
                                                Map.of(
                                                        "NIGHTLY_TARGET_ECR_REPOS",
                                                        "123456789012.dkr.ecr.us-east-1.amazonaws.com/smd-nightly localhost:5000/smd"))))));
    }

    // ---- outputs ---------------------------------------------------------------------------------------------------

    @Test
    void outputs_nameTheNightlyStateMachineAndAManualRunCommand() {
        template.hasOutput(
                "NightlyStateMachineArn", Match.objectLike(Map.of("Value", Map.of("Ref", nightlyStateMachineId()))));
        template.hasOutput(
                "StartNightlyCommand",
                Match.objectLike(Map.of(
                        "Value",
                        Map.of(
                                "Fn::Join",
                                List.of(
                                        "",
                                        List.of(
                                                "aws stepfunctions start-execution --state-machine-arn ",
                                                Map.of("Ref", nightlyStateMachineId()),
                                                " --input '{}'"))))));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static String only(String type, String idPattern) {
        return TestStacks.only(template, type, idPattern);
    }

    private static String nightlyStateMachineId() {
        return only("AWS::StepFunctions::StateMachine", "^NightlyStateMachine[0-9A-F]{8}$");
    }

    private static String releaseStateMachineId() {
        return only("AWS::StepFunctions::StateMachine", "^ReleaseStateMachine[0-9A-F]{8}$");
    }

    private static String schedulerRoleId() {
        return only("AWS::IAM::Role", "^NightlyScheduleRole[0-9A-F]{8}$");
    }

    private static String planAliasId() {
        return only("AWS::Lambda::Alias", "^FunctionsNightlyPlanAlias.*");
    }

    private static String bucketId() {
        return only("AWS::S3::Bucket", "^ArtifactStorageBucket[0-9A-F]{8}$");
    }

    private static String repositoryId() {
        return only("AWS::ECR::Repository", "^ImageRepositoriesRepository.*");
    }
}
