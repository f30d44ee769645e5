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
    void leftOverSigningObjects_expireAfterADay() {
        template.hasResourceProperties(
                "AWS::S3::Bucket",
                Match.objectLike(Map.of(
                        "LifecycleConfiguration",
                        Map.of(
                                "Rules",
                                Match.arrayWith(List.of(Map.of(
                                        "Id", "expire-signing-objects",
                                        "Prefix", "signing/",
                                        "ExpirationInDays", 1,
                                        "Status", "Enabled")))))));
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

    /** One function per handler of docs/contract.md: name, handler, timeout (s), memory (MB), its environment. */
    static final List<List<Object>> FUNCTIONS = List.of(
            List.of(
                    "generate",
                    ReleaseFunctions.GENERATE_HANDLER,
                    900,
                    1024,
                    List.of("ARTIFACT_BUCKET", "CPU_BUILD_PROJECT", "GPU_BUILD_PROJECT", "STAGING_REPOSITORY")),
            List.of(
                    "gates",
                    ReleaseFunctions.GATES_HANDLER,
                    900,
                    2048,
                    List.of("ARTIFACT_BUCKET", "REPODATA_URLS", "SIGNING_PROFILE", "STAGING_REPOSITORY")),
            List.of(
                    "approval",
                    ReleaseFunctions.APPROVAL_HANDLER,
                    120,
                    1024,
                    List.of("APPROVAL_TOPIC_ARN", "ARTIFACT_BUCKET")),
            List.of(
                    "promote",
                    ReleaseFunctions.PROMOTE_HANDLER,
                    840,
                    1024,
                    List.of("ARTIFACT_BUCKET", "SIGNING_CERTIFICATE_ARN")),
            List.of("finalize", ReleaseFunctions.FINALIZE_HANDLER, 300, 1024, List.of("ARTIFACT_BUCKET")),
            List.of("failure", ReleaseFunctions.FAILURE_HANDLER, 60, 1024, List.of("ARTIFACT_BUCKET")),
            List.of(
                    "nightly-plan",
                    ReleaseFunctions.NIGHTLY_PLAN_HANDLER,
                    60,
                    1024,
                    List.of("ARTIFACT_BUCKET", "NIGHTLY_TARGET_ECR_REPOS")));

    @Test
    @SuppressWarnings("unchecked")
    void functions_runJava21OnArm64WithSnapStartMemoryTimeoutAndExactlyTheirEnvironment() {
        assertEquals(
                FUNCTIONS.size(),
                template.findResources("AWS::Lambda::Function").size());
        for (List<Object> fn : FUNCTIONS) {
            Map<String, Map<String, Object>> found = template.findResources(
                    "AWS::Lambda::Function",
                    Match.objectLike(Map.of(
                            "Properties",
                            Match.objectLike(Map.of(
                                    "FunctionName", "smd-release-" + fn.get(0),
                                    "Handler", fn.get(1),
                                    "Runtime", "java21",
                                    "Architectures", List.of("arm64"),
                                    "SnapStart", Map.of("ApplyOn", "PublishedVersions"),
                                    "Timeout", fn.get(2),
                                    "MemorySize", fn.get(3),
                                    "LoggingConfig", Match.objectLike(Map.of("LogGroup", Match.anyValue())))))));
            assertEquals(1, found.size(), fn.toString());
            Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>)
                            properties(found.values().iterator().next()).get("Environment"))
                    .get("Variables");
            assertEquals(fn.get(4), variables.keySet().stream().sorted().toList(), fn.get(0) + ": " + variables);
            assertEquals(
                    Map.of("Ref", bucketLogicalId()),
                    variables.get("ARTIFACT_BUCKET"),
                    fn.get(0).toString());
        }
    }

    @Test
    void generate_knowsTheBuildProjectsAndTheStagingRepository_gatesTheRepodata() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "FunctionName",
                        "smd-release-generate",
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectLike(Map.of(
                                        "CPU_BUILD_PROJECT", "smd-release-build-cpu",
                                        "GPU_BUILD_PROJECT", "smd-release-build-gpu",
                                        "STAGING_REPOSITORY", stagingUri()))))));
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(
                        Map.of(
                                "FunctionName",
                                "smd-release-gates",
                                "Environment",
                                Map.of(
                                        "Variables",
                                        Match.objectLike(
                                                Map.of(
                                                        "STAGING_REPOSITORY",
                                                        stagingUri(),
                                                        "REPODATA_URLS",
                                                        "https://conda.anaconda.org/conda-forge/linux-64/repodata.json.zst"
                                                                + " https://conda.anaconda.org/conda-forge/noarch/repodata.json.zst"))))));
    }

    /**
     * Reads objects (and lists, so a missing base env.out is "not found"), moves the builds' results into the version,
     * writes gates.json, describes staging (SigningStackTest: signs, and pushes referrers to staging).
     */
    @Test
    void gatesRole_readsTheBucketWritesGatesJsonAndDescribesOnlyStaging() {
        String document = policyDocument("Gates");
        assertEquals(
                java.util.Set.of(TestStacks.grant(
                        "ecr:DescribeImages", Map.of("Fn::GetAtt", List.of(stagingLogicalId(), "Arn")))),
                TestStacks.grants(template, "Gates", grant -> grant.startsWith("ecr:DescribeImages ")));
        for (String moved : List.of(
                "/build_artifacts/*/gates.json",
                "/build_artifacts/*.env.out",
                "/build_artifacts/*/candidate-*.json",
                "/build_artifacts/*/test-report-*.json")) {
            assertTrue(document.contains(moved), moved + " in " + document);
        }
        assertTrue(document.contains("Action=s3:GetObject,") && document.contains("Action=s3:ListBucket,"), document);
        assertTrue(
                document.contains(
                        "Action=[ecr:GetAuthorizationToken, inspector2:ListCoverage, inspector2:ListFindings]"),
                document);
        assertForbidden(document, "ecr:BatchDelete", "codebuild:", "sns:", repositoryLogicalId());
    }

    /** Pulls candidates from staging only and pushes to every release repository; reads the bucket, writes nothing. */
    @Test
    void promoteRole_pullsFromStagingPushesToTheReleaseRepositories_andOnlyReadsTheBucket() {
        String document = policyDocument("Promote");
        assertTrue(
                document.contains("Action=[ecr:BatchCheckLayerAvailability, ecr:BatchGetImage,"
                        + " ecr:GetDownloadUrlForLayer], Effect=Allow, Resource={Fn::GetAtt=[" + stagingLogicalId()),
                document);
        assertTrue(
                document.contains("ecr:PutImage, ecr:UploadLayerPart], Effect=Allow, Resource={Fn::GetAtt=["
                        + repositoryLogicalId() + ", Arn]}"),
                document);
        assertTrue(document.contains("Action=ecr:GetAuthorizationToken, Effect=Allow, Resource=*"), document);
        assertForbidden(document, "s3:PutObject", "s3:DeleteObject", "sns:", "codebuild:");
        int pushes = document.split("ecr:PutImage").length - 1;
        assertEquals(1, pushes, "one push statement, on the release repositories: " + document);
    }

    @Test
    void approvalRole_publishesOnlyToTheApprovalTopic_andWritesOnlyVersions() {
        String document = policyDocument("Approval");
        assertTrue(
                document.contains("Action=sns:Publish, Effect=Allow, Resource={Ref=" + approvalTopicLogicalId() + "}"),
                document);
        assertTrue(
                document.contains("Action=s3:PutObject, Effect=Allow, Resource={Fn::Join=[, [{Fn::GetAtt=["
                        + bucketLogicalId() + ", Arn]}, /build_artifacts/*]]}"),
                document);
        assertForbidden(document, "ecr:", "s3:DeleteObject", "codebuild:");
    }

    @Test
    void failureRole_writesOnlyFailureRecords() {
        String document = policyDocument("Failure");
        assertTrue(
                document.contains("Action=s3:PutObject, Effect=Allow, Resource=[{Fn::Join=[, [{Fn::GetAtt=["
                        + bucketLogicalId() + ", Arn]}, /build_artifacts/*/failure.json]]}, {Fn::Join=[, [{Fn::GetAtt=["
                        + bucketLogicalId() + ", Arn]}, /failures/*]]}]"),
                document);
        assertForbidden(document, "s3:GetObject", "s3:ListBucket", "s3:DeleteObject", "ecr:", "sns:");
    }

    @Test
    void approvalTopic_isEncryptedWithTheSnsKeyAndTlsOnly_withoutSubscriberByDefault() {
        template.hasResourceProperties(
                "AWS::SNS::Topic",
                Match.objectLike(Map.of("TopicName", "smd-release-approvals", "KmsMasterKeyId", Match.anyValue())));
        Object key = properties(template.findResources("AWS::SNS::Topic").get(approvalTopicLogicalId()))
                .get("KmsMasterKeyId");
        assertTrue(String.valueOf(key).endsWith(":alias/aws/sns]]}"), "the AWS managed SNS key: " + key);
        template.hasResourceProperties(
                "AWS::SNS::TopicPolicy",
                Match.objectLike(Map.of(
                        "Topics",
                        List.of(Map.of("Ref", approvalTopicLogicalId())),
                        "PolicyDocument",
                        Match.objectLike(Map.of(
                                "Statement",
                                Match.arrayWith(List.of(Match.objectLike(Map.of(
                                        "Effect",
                                        "Deny",
                                        "Condition",
                                        Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
        template.resourceCountIs("AWS::SNS::Subscription", 0);
    }

    @Test
    void functions_arePublishedBehindTheLiveAlias() {
        assertEquals(
                FUNCTIONS.size(), template.findResources("AWS::Lambda::Version").size());
        template.resourcePropertiesCountIs(
                "AWS::Lambda::Alias",
                Match.objectLike(Map.of(
                        "Name",
                        ReleaseFunctions.ALIAS,
                        "FunctionVersion",
                        Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp(".*CurrentVersion.*"), "Version")))),
                FUNCTIONS.size());
    }

    @Test
    void functions_logToRetainedLogGroups() {
        List<String> names = new ArrayList<>();
        FUNCTIONS.forEach(fn -> names.add("/aws/lambda/smd-release-" + fn.get(0)));
        names.addAll(List.of(
                "/aws/codebuild/smd-release-build-cpu",
                "/aws/codebuild/smd-release-build-gpu",
                "/aws/vendedlogs/states/smd-release-release",
                "/aws/vendedlogs/states/smd-release-nightly"));
        for (String name : names) {
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
    void buildRoles_pushOnlyToStaging_neverToAReleaseRepository() {
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
                    assertEquals(Map.of("Fn::GetAtt", List.of(stagingLogicalId(), "Arn")), statement.get("Resource"));
                } else {
                    assertFalse(
                            "*".equals(statement.get("Resource")), "only the token action may use '*': " + statement);
                }
            }
        }
    }

    @Test
    void buildProjects_defaultToTheStagingRepository_andNameNoReleaseRepository() {
        for (var project : template.findResources("AWS::CodeBuild::Project").values()) {
            String text = String.valueOf(properties(project));
            assertTrue(text.contains("Name=STAGING_REPO, Type=PLAINTEXT, Value=" + stagingUri() + "}"), text);
            assertFalse(text.contains(repositoryLogicalId()), text);
        }
        for (var policy : template.findResources("AWS::IAM::Policy").entrySet()) {
            if (policy.getKey().startsWith("ImageBuilds")) {
                assertForbidden(String.valueOf(policy.getValue()), repositoryLogicalId());
            }
        }
    }

    /** A build runs third-party packages: it may write only under incoming/, never a version, a manifest or test/. */
    @Test
    void buildProjects_writeOnlyUnderIncoming() {
        int checked = 0;
        for (var policy : template.findResources("AWS::IAM::Policy").entrySet()) {
            if (policy.getKey().startsWith("ImageBuilds")) {
                String text = String.valueOf(policy.getValue());
                assertTrue(
                        text.contains("Action=s3:PutObject, Effect=Allow, Resource={Fn::Join=[, [{Fn::GetAtt=["
                                + bucketLogicalId() + ", Arn]}, /incoming/*]]}"),
                        text);
                assertEquals(1, text.split("s3:PutObject", -1).length - 1, "one PutObject statement: " + text);
                checked++;
            }
        }
        assertEquals(2, checked, "the cpu and gpu build policies");
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

    @SuppressWarnings("unchecked")
    @Test
    void stagingRepository_scansOnPush_andExpiresUntaggedImagesAndCandidates() throws Exception {
        template.hasResourceProperties(
                "AWS::ECR::Repository",
                Match.objectLike(Map.of(
                        "RepositoryName",
                        "smd-release-staging",
                        "ImageScanningConfiguration",
                        Map.of("ScanOnPush", true))));
        Map<String, Object> lifecycle = (Map<String, Object>)
                properties(template.findResources("AWS::ECR::Repository").get(stagingLogicalId()))
                        .get("LifecyclePolicy");
        var rules = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(String.valueOf(lifecycle.get("LifecyclePolicyText")))
                .get("rules");
        assertEquals(2, rules.size(), rules.toString());
        assertEquals("untagged", rules.get(0).at("/selection/tagStatus").asText());
        assertEquals("tagged", rules.get(1).at("/selection/tagStatus").asText());
        assertEquals(
                "[\"candidate-\"]", rules.get(1).at("/selection/tagPrefixList").toString());
        for (var rule : rules) {
            assertEquals("sinceImagePushed", rule.at("/selection/countType").asText());
            assertEquals(
                    PipelineConfig.DEFAULT_STAGING_IMAGE_EXPIRATION_DAYS,
                    rule.at("/selection/countNumber").asInt());
            assertEquals("expire", rule.at("/action/type").asText());
        }
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
    @SuppressWarnings("unchecked")
    void stateMachine_substitutesExactlyTheSixAliases() {
        Map<String, Object> substitutions =
                (Map<String, Object>) properties(template.findResources("AWS::StepFunctions::StateMachine")
                                .get(releaseStateMachineLogicalId()))
                        .get("DefinitionSubstitutions");
        assertEquals(
                ReleaseStateMachine.SUBSTITUTIONS.stream().sorted().toList(),
                substitutions.keySet().stream().sorted().toList());
        for (var step : List.of(
                List.of(ReleaseStateMachine.GENERATE_FUNCTION_ARN, "Generate"),
                List.of(ReleaseStateMachine.GATES_FUNCTION_ARN, "Gates"),
                List.of(ReleaseStateMachine.APPROVAL_FUNCTION_ARN, "Approval"),
                List.of(ReleaseStateMachine.PROMOTE_FUNCTION_ARN, "Promote"),
                List.of(ReleaseStateMachine.FINALIZE_FUNCTION_ARN, "Finalize"),
                List.of(ReleaseStateMachine.FAILURE_FUNCTION_ARN, "Failure"))) {
            String ref = String.valueOf(((Map<String, Object>) substitutions.get(step.get(0))).get("Ref"));
            assertTrue(ref.matches("^Functions" + step.get(1) + "Alias[0-9A-F]{8}$"), step + ": " + ref);
        }
    }

    /** The six aliases (the approval one is invoked with .waitForTaskToken), the two builds; no S3 of its own. */
    @Test
    void stateMachineRole_invokesOnlyTheAliasesAndRunsOnlyTheBuildProjects() {
        String document = String.valueOf(template.findResources(
                        "AWS::IAM::Policy",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(
                                        Map.of("PolicyName", Match.stringLikeRegexp("^ReleaseStateMachineRole.*"))))))
                .values());
        for (String step : List.of("Generate", "Gates", "Approval", "Promote", "Finalize", "Failure")) {
            assertTrue(
                    document.matches(
                            "(?s).*Action=lambda:InvokeFunction, Effect=Allow, Resource=\\[[^]]*\\{Ref=Functions" + step
                                    + "Alias[0-9A-F]{8}}.*"),
                    step + ": " + document);
        }
        assertEquals(6, document.split("Alias[0-9A-F]{8}}").length - 1, document);
        assertTrue(
                document.contains("Action=[codebuild:BatchGetBuilds, codebuild:StartBuild, codebuild:StopBuild]"),
                document);
        assertTrue(document.contains("Action=[events:DescribeRule, events:PutRule, events:PutTargets]"), document);
        assertForbidden(document, "s3:", "ecr:", "sns:");
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
                "ApprovalTopicArn", Match.objectLike(Map.of("Value", Map.of("Ref", approvalTopicLogicalId()))));
        template.hasOutput("StagingRepositoryUri", Match.objectLike(Map.of("Value", stagingUri())));
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
     * state machine definitions are assets, so the template carries no ASL and their growth does not count here. Not a
     * wall: {@code cdk deploy} uploads a bigger template through the bootstrap bucket (a 63 KB one of this stack,
     * padded, deployed to MiniStack with scripts/local-pipeline.sh up on 2026-12-02); raise the bound deliberately,
     * for deployments that pass the template inline.
     */
    @Test
    void minifiedTemplate_staysUnderTheTemplateBodyLimit_withoutTheAsl() throws Exception {
        byte[] json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(template.toJSON());
        System.out.println("[size] minified template: " + json.length + " bytes (limit 51200)");
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

    /** The release repository the default context creates. */
    private static String repositoryLogicalId() {
        return only("AWS::ECR::Repository", "^ImageRepositoriesRepository0.*");
    }

    private static String stagingLogicalId() {
        return only("AWS::ECR::Repository", "^ImageRepositoriesStaging.*");
    }

    private static String bucketLogicalId() {
        return only("AWS::S3::Bucket", "^ArtifactStorageBucket[0-9A-F]{8}$");
    }

    private static String approvalTopicLogicalId() {
        return only("AWS::SNS::Topic", "^ApprovalsTopic.*");
    }

    private static String releaseStateMachineLogicalId() {
        return only("AWS::StepFunctions::StateMachine", "^ReleaseStateMachine[0-9A-F]{8}$");
    }

    /** The staging repository's URI as the template writes it (ECR's RepositoryUri attribute). */
    private static Object stagingUri() {
        ReleasePipelineStack stack = synthesized.stack();
        Object uri = stack.resolve(stack.repositories().staging().getRepositoryUri());
        assertTrue(String.valueOf(uri).contains("{Ref=" + stagingLogicalId() + "}"), String.valueOf(uri));
        return uri;
    }

    private static String only(String type, String idPattern) {
        return TestStacks.only(template, type, idPattern);
    }

    /** The policy document of a function's role, as text. */
    private static String policyDocument(String function) {
        Map<String, Map<String, Object>> policies = template.findResources(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Properties",
                        Match.objectLike(
                                Map.of("PolicyName", Match.stringLikeRegexp("^Functions" + function + "Role.*"))))));
        assertEquals(1, policies.size(), function);
        return String.valueOf(properties(policies.values().iterator().next()).get("PolicyDocument"));
    }

    private static void assertForbidden(String document, String... forbidden) {
        for (String text : forbidden) {
            assertFalse(document.contains(text), text + " in " + document);
        }
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
