package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Assertions on the synthesized template with the default context (cdk.json): created repositories, no email. */
class ReleasePipelineStackTest {
    private static TestStacks.Synthesized synthesized;
    private static Template template;

    @BeforeAll
    static void synthesize() {
        synthesized = TestStacks.synthesize(Map.of());
        template = synthesized.template();
    }

    // ---- artifact bucket -------------------------------------------------------------------------------------------

    @Test
    void artifactBucket_isVersionedEncryptedPrivateLoggedAndExpiresNoncurrentVersions() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "VersioningConfiguration", Map.of("Status", "Enabled"),
                        "BucketEncryption",
                                Map.of(
                                        "ServerSideEncryptionConfiguration",
                                        List.of(Map.of(
                                                "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                        "PublicAccessBlockConfiguration", blockAll(),
                        "LoggingConfiguration",
                                Match.objectLike(Map.of(
                                        "DestinationBucketName",
                                        Match.anyValue(),
                                        "LogFilePrefix",
                                        "artifact-bucket/")),
                        "LifecycleConfiguration",
                                Map.of(
                                        "Rules",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Status", "Enabled",
                                                "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 90),
                                                "AbortIncompleteMultipartUpload",
                                                        Map.of("DaysAfterInitiation", 7)))))))));
    }

    @Test
    void everyBucket_isEncryptedPrivateAndRetained() {
        Map<String, Map<String, Object>> buckets = template.findResources("AWS::S3::Bucket");
        assertEquals(2, buckets.size(), "artifact bucket and its access-log bucket");
        template.allResources(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "DeletionPolicy",
                        "Retain",
                        "Properties",
                        Match.objectLike(Map.of(
                                "BucketEncryption", Match.objectLike(Map.of()),
                                "PublicAccessBlockConfiguration", blockAll(),
                                "OwnershipControls",
                                        Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))))))));
    }

    @Test
    void everyBucketPolicy_deniesRequestsWithoutTls() {
        assertEquals(2, template.findResources("AWS::S3::BucketPolicy").size());
        template.allResourcesProperties(
                "AWS::S3::BucketPolicy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Effect", "Deny",
                                        "Action", "s3:*",
                                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
    }

    // ---- Lambda functions ------------------------------------------------------------------------------------------

    @Test
    void functions_runJava21OnArm64WithSnapStartMemoryTimeoutAndEnvironment() {
        assertEquals(
                4, template.findResources("AWS::Lambda::Function").size(), "Generate, SizeGate, Finalize, NightlyPlan");
        for (var fn : List.of(
                List.of("smd-release-generate", ReleaseFunctions.GENERATE_HANDLER, 900),
                List.of("smd-release-finalize", ReleaseFunctions.FINALIZE_HANDLER, 300))) {
            template.hasResourceProperties(
                    "AWS::Lambda::Function",
                    Match.objectLike(Map.of(
                            "FunctionName", fn.get(0),
                            "Handler", fn.get(1),
                            "Runtime", "java21",
                            "Architectures", List.of("arm64"),
                            "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                            "MemorySize", 1024,
                            "Timeout", fn.get(2),
                            "LoggingConfig", Match.objectLike(Map.of("LogGroup", Match.anyValue())),
                            "Environment",
                                    Map.of(
                                            "Variables",
                                            Map.of(
                                                    "ARTIFACT_BUCKET",
                                                            Map.of(
                                                                    "Ref",
                                                                    Match.stringLikeRegexp("^ArtifactStorageBucket.*")),
                                                    "CPU_BUILD_PROJECT", "smd-release-build-cpu",
                                                    "GPU_BUILD_PROJECT", "smd-release-build-gpu")))));
        }
    }

    @Test
    void sizeGateFunction_has2GbFiveMinutesTheRepodataUrlsAndNoBuildProjects() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(
                        Map.of(
                                "FunctionName",
                                "smd-release-size-gate",
                                "Handler",
                                ReleaseFunctions.SIZE_GATE_HANDLER,
                                "Runtime",
                                "java21",
                                "Architectures",
                                List.of("arm64"),
                                "SnapStart",
                                Map.of("ApplyOn", "PublishedVersions"),
                                "MemorySize",
                                2048,
                                "Timeout",
                                300,
                                "LoggingConfig",
                                Match.objectLike(Map.of("LogGroup", Match.anyValue())),
                                "Environment",
                                Map.of(
                                        "Variables",
                                        Map.of(
                                                "ARTIFACT_BUCKET",
                                                Map.of("Ref", Match.stringLikeRegexp("^ArtifactStorageBucket.*")),
                                                "REPODATA_URLS",
                                                "https://conda.anaconda.org/conda-forge/linux-64/repodata.json.zst"
                                                        + " https://conda.anaconda.org/conda-forge/noarch/repodata.json.zst")))));
    }

    /** Reads objects (and lists, so a missing base env.out is "not found"), describes images of the stack's repositories. */
    @Test
    void sizeGateRole_readsTheBucketAndDescribesOnlyTheStacksRepositories() {
        Map<String, Map<String, Object>> policies = template.findResources(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(Map.of("PolicyName", Match.stringLikeRegexp("^FunctionsSizeGateRole.*"))))));
        assertEquals(1, policies.size());
        String document =
                String.valueOf(properties(policies.values().iterator().next()).get("PolicyDocument"));
        assertTrue(
                document.contains("Action=ecr:DescribeImages, Effect=Allow, Resource={Fn::GetAtt=[ImageRepositories"),
                document);
        assertTrue(document.contains("Action=s3:GetObject,") && document.contains("Action=s3:ListBucket,"), document);
        for (String forbidden :
                List.of("s3:PutObject", "s3:DeleteObject", "ecr:Put", "ecr:BatchDelete", "codebuild:")) {
            assertTrue(!document.contains(forbidden), forbidden + " in " + document);
        }
    }

    @Test
    void functions_arePublishedBehindTheLiveAlias() {
        assertEquals(4, template.findResources("AWS::Lambda::Version").size());
        template.resourcePropertiesCountIs(
                "AWS::Lambda::Alias",
                Match.objectLike(Map.of(
                        "Name",
                        ReleaseFunctions.ALIAS,
                        "FunctionVersion",
                        Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp(".*CurrentVersion.*"), "Version")))),
                4);
    }

    @Test
    void functions_logToRetainedLogGroups() {
        for (String name : List.of(
                "/aws/lambda/smd-release-generate",
                "/aws/lambda/smd-release-finalize",
                "/aws/lambda/smd-release-size-gate",
                "/aws/codebuild/smd-release-build-cpu",
                "/aws/codebuild/smd-release-build-gpu",
                "/aws/vendedlogs/states/smd-release-release",
                "/aws/lambda/smd-release-nightly-plan",
                "/aws/vendedlogs/states/smd-release-nightly")) {
            template.hasResourceProperties(
                    "AWS::Logs::LogGroup",
                    Match.objectLike(Map.of("LogGroupName", name, "RetentionInDays", Match.anyValue())));
        }
    }

    @Test
    void functionRoles_haveNoManagedPolicies() {
        template.allResourcesProperties(
                "AWS::IAM::Role", Match.not(Match.objectLike(Map.of("ManagedPolicyArns", Match.anyValue()))));
    }

    // ---- CodeBuild -------------------------------------------------------------------------------------------------

    @Test
    void cpuProject_isPrivilegedWithEightHourTimeoutAndBuildspecFromTheS3Asset() {
        template.hasResourceProperties(
                "AWS::CodeBuild::Project",
                Match.objectLike(Map.of(
                        "Name", "smd-release-build-cpu",
                        "TimeoutInMinutes", 480,
                        "Source",
                                Match.objectLike(
                                        Map.of("Type", "S3", "BuildSpec", "build.yml", "Location", Match.anyValue())),
                        "Environment",
                                Match.objectLike(Map.of(
                                        "Type",
                                        "LINUX_CONTAINER",
                                        "PrivilegedMode",
                                        true,
                                        "EnvironmentVariables",
                                        Match.arrayWith(List.of(
                                                Match.objectLike(Map.of("Name", "ARTIFACT_BUCKET")),
                                                Map.of("Name", "IMAGE_TYPE", "Type", "PLAINTEXT", "Value", "cpu"))))),
                        "LogsConfig",
                                Match.objectLike(
                                        Map.of("CloudWatchLogs", Match.objectLike(Map.of("Status", "ENABLED")))))));
    }

    @Test
    void gpuProject_runsOnAGpuEnvironmentWithTheConfiguredImage() {
        Capture image = new Capture();
        template.hasResourceProperties(
                "AWS::CodeBuild::Project",
                Match.objectLike(Map.of(
                        "Name",
                        "smd-release-build-gpu",
                        "TimeoutInMinutes",
                        480,
                        "Environment",
                        Match.objectLike(Map.of(
                                "Type",
                                "LINUX_GPU_CONTAINER",
                                "PrivilegedMode",
                                true,
                                "Image",
                                image,
                                "EnvironmentVariables",
                                Match.arrayWith(List.of(
                                        Map.of("Name", "IMAGE_TYPE", "Type", "PLAINTEXT", "Value", "gpu"))))))));
        assertTrue(
                image.asObject().toString().contains("/" + PipelineConfig.DEFAULT_GPU_BUILD_IMAGE),
                image.asObject().toString());
    }

    @Test
    void buildRoles_getAuthorizationTokenOnStarButPushOnlyToTheRepositories() {
        Map<String, Map<String, Object>> policies = template.findResources(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(Map.of("PolicyName", Match.stringLikeRegexp("^ImageBuilds.*"))))));
        assertEquals(2, policies.size());
        for (Map<String, Object> policy : policies.values()) {
            for (Map<String, Object> statement : statements(policy)) {
                List<String> actions = strings(statement.get("Action"));
                if (actions.contains("ecr:GetAuthorizationToken")) {
                    assertEquals(List.of("ecr:GetAuthorizationToken"), actions, "only the token action may use '*'");
                    assertEquals("*", statement.get("Resource"));
                } else if (actions.contains("ecr:PutImage")) {
                    assertEquals(
                            Map.of("Fn::GetAtt", List.of(repositoryLogicalId(), "Arn")), statement.get("Resource"));
                } else {
                    assertFalse(
                            "*".equals(statement.get("Resource")), "only the token action may use '*': " + statement);
                }
            }
        }
    }

    // ---- ECR -------------------------------------------------------------------------------------------------------

    @Test
    void repositories_scanOnPushAndKeepFloatingTagsMutable() {
        template.resourcePropertiesCountIs(
                "AWS::ECR::Repository",
                Match.objectLike(Map.of(
                        "RepositoryName", "sagemaker-distribution",
                        "ImageScanningConfiguration", Map.of("ScanOnPush", true),
                        "ImageTagMutability", "MUTABLE")),
                1);
    }

    // ---- state machine ---------------------------------------------------------------------------------------------

    @Test
    void stateMachine_logsAllWithExecutionDataAndTraces() {
        template.hasResourceProperties(
                "AWS::StepFunctions::StateMachine",
                Match.objectLike(Map.of(
                        "StateMachineName",
                        "smd-release-release",
                        "StateMachineType",
                        "STANDARD",
                        "LoggingConfiguration",
                        Match.objectLike(Map.of(
                                "Level",
                                "ALL",
                                "IncludeExecutionData",
                                true,
                                "Destinations",
                                List.of(Match.objectLike(Map.of("CloudWatchLogsLogGroup", Match.anyValue()))))),
                        "TracingConfiguration",
                        Map.of("Enabled", true))));
    }

    /** The definition is deployed as it is in the file, from S3 (a file asset), not inlined in the template. */
    @Test
    void stateMachine_definitionIsTheAslFileAsAnAsset() throws Exception {
        template.hasResourceProperties(
                "AWS::StepFunctions::StateMachine",
                Match.objectLike(Map.of(
                        "StateMachineName",
                        "smd-release-release",
                        "DefinitionS3Location",
                        Map.of("Bucket", Match.anyValue(), "Key", Match.stringLikeRegexp("^[0-9a-f]{64}\\.json$")),
                        "DefinitionString",
                        Match.absent(),
                        "Definition",
                        Match.absent())));
        assertEquals(Files.readString(ReleaseAslTest.FILE), synthesized.definition("smd-release-release"));
    }

    @Test
    void stateMachine_substitutesTheAliasesAndTheBucket() {
        template.hasResourceProperties(
                "AWS::StepFunctions::StateMachine",
                Match.objectLike(Map.of(
                        "StateMachineName",
                        "smd-release-release",
                        "DefinitionSubstitutions",
                        Map.of(
                                ReleaseStateMachine.GENERATE_FUNCTION_ARN,
                                        Map.of("Ref", Match.stringLikeRegexp("^FunctionsGenerateAlias.*")),
                                ReleaseStateMachine.SIZE_GATE_FUNCTION_ARN,
                                        Map.of("Ref", Match.stringLikeRegexp("^FunctionsSizeGateAlias.*")),
                                ReleaseStateMachine.FINALIZE_FUNCTION_ARN,
                                        Map.of("Ref", Match.stringLikeRegexp("^FunctionsFinalizeAlias.*")),
                                ReleaseStateMachine.ARTIFACT_BUCKET,
                                        Map.of("Ref", Match.stringLikeRegexp("^ArtifactStorageBucket.*"))))));
    }

    @Test
    void stateMachineRole_invokesOnlyTheAliasesAndRunsOnlyTheBuildProjects() {
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "PolicyName", Match.stringLikeRegexp("^ReleaseStateMachineRole.*"),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(
                                                Match.objectLike(Map.of(
                                                        "Action",
                                                        "lambda:InvokeFunction",
                                                        "Resource",
                                                        List.of(
                                                                Map.of(
                                                                        "Ref",
                                                                        Match.stringLikeRegexp(
                                                                                "^FunctionsFinalizeAlias.*")),
                                                                Map.of(
                                                                        "Ref",
                                                                        Match.stringLikeRegexp(
                                                                                "^FunctionsGenerateAlias.*")),
                                                                Map.of(
                                                                        "Ref",
                                                                        Match.stringLikeRegexp(
                                                                                "^FunctionsSizeGateAlias.*"))))),
                                                Match.objectLike(Map.of(
                                                        "Action",
                                                                List.of(
                                                                        "codebuild:BatchGetBuilds",
                                                                        "codebuild:StartBuild",
                                                                        "codebuild:StopBuild"),
                                                        "Resource",
                                                                List.of(
                                                                        Map.of(
                                                                                "Fn::GetAtt",
                                                                                List.of(
                                                                                        Match.stringLikeRegexp(
                                                                                                "^ImageBuildsCpu.*"),
                                                                                        "Arn")),
                                                                        Map.of(
                                                                                "Fn::GetAtt",
                                                                                List.of(
                                                                                        Match.stringLikeRegexp(
                                                                                                "^ImageBuildsGpu.*"),
                                                                                        "Arn"))))),
                                                Match.objectLike(Map.of(
                                                        "Action",
                                                        List.of(
                                                                "events:DescribeRule",
                                                                "events:PutRule",
                                                                "events:PutTargets"))),
                                                Match.objectLike(Map.of("Action", "s3:PutObject")))))))));
    }

    // ---- alerts ----------------------------------------------------------------------------------------------------

    @Test
    void failedExecutionsRule_matchesFailedTimedOutAndAbortedExecutionsOfTheReleaseAndNightlyStateMachines() {
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "EventPattern",
                                Map.of(
                                        "source", List.of("aws.states"),
                                        "detail-type", List.of("Step Functions Execution Status Change"),
                                        "detail",
                                                Map.of(
                                                        "status", List.of("FAILED", "TIMED_OUT", "ABORTED"),
                                                        "stateMachineArn",
                                                                List.of(
                                                                        Map.of(
                                                                                "Ref",
                                                                                Match.stringLikeRegexp(
                                                                                        "^ReleaseStateMachine.*")),
                                                                        Map.of(
                                                                                "Ref",
                                                                                Match.stringLikeRegexp(
                                                                                        "^NightlyStateMachine.*"))))),
                        "State", "ENABLED",
                        "Targets",
                                List.of(Match.objectLike(Map.of(
                                        "Arn", Map.of("Ref", Match.stringLikeRegexp("^AlertsTopic.*")),
                                        "InputTransformer",
                                                Match.objectLike(Map.of("InputTemplate", Match.anyValue()))))))));
    }

    @Test
    void alertTopic_enforcesTlsAndAcceptsEventBridgeAndCloudWatch() {
        template.hasResourceProperties(
                "AWS::SNS::Topic", Match.objectLike(Map.of("TopicName", "smd-release-release-alerts")));
        template.resourceCountIs("AWS::SNS::Subscription", 0);
        template.hasResourceProperties(
                "AWS::SNS::TopicPolicy",
                Match.objectLike(Map.of(
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(
                                        Match.objectLike(Map.of(
                                                "Effect", "Deny",
                                                "Action", "sns:Publish",
                                                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))),
                                        Match.objectLike(Map.of(
                                                "Effect",
                                                "Allow",
                                                "Principal",
                                                Map.of("Service", "events.amazonaws.com"))),
                                        Match.objectLike(Map.of(
                                                "Effect",
                                                "Allow",
                                                "Principal",
                                                Map.of("Service", "cloudwatch.amazonaws.com"))))))))));
    }

    @Test
    void executionsFailedAlarm_notifiesTheTopic() {
        template.hasResourceProperties(
                "AWS::CloudWatch::Alarm",
                Match.objectLike(Map.of(
                        "Namespace", "AWS/States",
                        "MetricName", "ExecutionsFailed",
                        "Statistic", "Sum",
                        "Threshold", 1,
                        "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                        "TreatMissingData", "notBreaching",
                        "AlarmActions", List.of(Map.of("Ref", Match.stringLikeRegexp("^AlertsTopic.*"))))));
    }

    // ---- outputs, tags ---------------------------------------------------------------------------------------------

    @Test
    void outputs_nameTheStateMachineTheBucketAndAReadyStartCommand() {
        template.hasOutput(
                "StateMachineArn",
                Match.objectLike(Map.of("Value", Map.of("Ref", Match.stringLikeRegexp("^ReleaseStateMachine.*")))));
        template.hasOutput(
                "ArtifactBucketName",
                Match.objectLike(Map.of("Value", Map.of("Ref", Match.stringLikeRegexp("^ArtifactStorageBucket.*")))));
        template.hasOutput("AlertTopicArn", Match.objectLike(Map.of("Value", Match.anyValue())));
        template.hasOutput(
                "StartReleaseCommand",
                Match.objectLike(
                        Map.of(
                                "Value",
                                Map.of(
                                        "Fn::Join",
                                        List.of(
                                                "",
                                                List.of(
                                                        "aws stepfunctions start-execution --state-machine-arn ",
                                                        Map.of("Ref", Match.stringLikeRegexp("^ReleaseStateMachine.*")),
                                                        " --input '{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\"}'"))))));
    }

    @Test
    void resources_areTaggedWithTheProject() {
        for (String type : List.of(
                "AWS::S3::Bucket",
                "AWS::Lambda::Function",
                "AWS::CodeBuild::Project",
                "AWS::StepFunctions::StateMachine",
                "AWS::SNS::Topic",
                "AWS::ECR::Repository")) {
            template.allResourcesProperties(
                    type,
                    Match.objectLike(Map.of(
                            "Tags",
                            Match.arrayWith(List.of(Map.of("Key", Naming.PROJECT_TAG, "Value", "smd-release"))))));
        }
    }

    /**
     * CloudFormation accepts a TemplateBody of up to 51,200 bytes; above it a deployment needs an S3 template URL. The
     * state machine definitions are assets, so the template carries no ASL and their growth does not count here.
     */
    @Test
    void minifiedTemplate_staysUnderTheTemplateBodyLimit_withoutTheAsl() throws Exception {
        byte[] json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(template.toJSON());
        assertTrue(json.length < 51_200, "minified template: " + json.length + " bytes");
        String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        for (String state : List.of("\"StartAt\"", "Generate artifacts", "Plan nightly releases")) {
            assertFalse(text.contains(state), "the template carries no ASL: " + state);
        }
    }

    // ---- IAM -------------------------------------------------------------------------------------------------------

    /** Identity and resource policies: no Allow statement may use an action with '*' (Deny '*' for TLS is fine). */
    @Test
    void noPolicyStatement_allowsAWildcardAction() {
        List<String> offenders = new ArrayList<>();
        Map<String, String> documents = Map.of(
                "AWS::IAM::Policy", "PolicyDocument",
                "AWS::S3::BucketPolicy", "PolicyDocument",
                "AWS::SNS::TopicPolicy", "PolicyDocument",
                "AWS::IAM::ManagedPolicy", "PolicyDocument");
        int checked = 0;
        for (var type : documents.keySet()) {
            for (var resource : template.findResources(type).entrySet()) {
                for (Map<String, Object> statement : statements(resource.getValue())) {
                    checked++;
                    for (String action : strings(statement.get("Action"))) {
                        if (action.contains("*") && "Allow".equals(statement.get("Effect"))) {
                            offenders.add(resource.getKey() + ": " + action);
                        }
                        if (action.contains("*") && "Deny".equals(statement.get("Effect"))) {
                            assertTrue(
                                    statement.toString().contains("aws:SecureTransport"),
                                    "only TLS denies use '*': " + statement);
                        }
                    }
                }
            }
        }
        for (var role : template.findResources("AWS::IAM::Role").entrySet()) {
            assertFalse(
                    properties(role.getValue()).containsKey("Policies"), "no inline role policies: " + role.getKey());
        }
        assertTrue(checked > 20, "statements checked: " + checked);
        assertEquals(List.of(), offenders);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static Map<String, Object> blockAll() {
        return Map.of(
                "BlockPublicAcls", true,
                "BlockPublicPolicy", true,
                "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true);
    }

    private static String repositoryLogicalId() {
        return template.findResources("AWS::ECR::Repository")
                .keySet()
                .iterator()
                .next();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements(Map<String, Object> resource) {
        Map<String, Object> document =
                (Map<String, Object>) properties(resource).get("PolicyDocument");
        return (List<Map<String, Object>>) document.get("Statement");
    }

    static List<String> strings(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
