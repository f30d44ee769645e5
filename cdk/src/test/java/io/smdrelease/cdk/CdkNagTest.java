package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.IConstruct;
import software.constructs.MetadataEntry;

/** cdk-nag AwsSolutions: the stack has no unacknowledged finding, and the check does catch a bad resource. */
class CdkNagTest {

    @Test
    void defaultStack_hasNoAwsSolutionsErrorsOrWarnings() {
        ReleasePipelineStack stack = TestStacks.stack(Map.of());
        assertEquals(List.of(), ReleasePipelineApp.nagErrors(stack));
        assertEquals(List.of(), ReleasePipelineApp.nagWarnings(stack));
    }

    @Test
    void stackWithExistingRepositoriesAndEmail_hasNoAwsSolutionsErrorsOrWarnings() {
        ReleasePipelineStack stack = TestStacks.stack(Map.of(
                PipelineConfig.CREATE_ECR_REPOSITORIES,
                false,
                PipelineConfig.ECR_REPOSITORY_ARNS,
                List.of(ReleasePipelineContextTest.REPO_A),
                PipelineConfig.ALARM_EMAIL,
                "ops@example.com",
                PipelineConfig.ARTIFACT_STORE_PREFIX,
                "smd/"));
        assertEquals(List.of(), ReleasePipelineApp.nagErrors(stack));
        assertEquals(List.of(), ReleasePipelineApp.nagWarnings(stack));
    }

    /** Every acknowledgment names one rule or one finding, never a wildcard action, and says why. */
    @Test
    void acknowledgments_areSpecificAndExplained() {
        ReleasePipelineStack stack = TestStacks.stack(Map.of());
        Map<String, String> acknowledged = new TreeMap<>();
        collect(stack, acknowledged);
        assertTrue(acknowledged.size() >= 10, acknowledged.keySet().toString());
        Set<String> allowedRules = Set.of(
                "AwsSolutions-S1",
                "AwsSolutions-L1",
                "AwsSolutions-CB3",
                "AwsSolutions-CB4",
                "AwsSolutions-CB5",
                "AwsSolutions-SNS2",
                "AwsSolutions-IAM5",
                "@aws-cdk/aws-lambda:snapStartRequirePublish");
        for (var entry : acknowledged.entrySet()) {
            String id = entry.getKey().replaceFirst("^(?i)annotation::", "");
            String rule = id.replaceFirst("\\[.*$", "");
            assertTrue(allowedRules.contains(rule), "unexpected acknowledgment " + id);
            if (rule.equals("AwsSolutions-IAM5")) {
                assertTrue(
                        id.startsWith("AwsSolutions-IAM5[Resource::"), "only wildcard resources, never actions: " + id);
            }
            assertTrue(entry.getValue().length() >= 60, "a specific reason for " + id + ": " + entry.getValue());
        }
    }

    @SuppressWarnings("unchecked")
    private static void collect(IConstruct construct, Map<String, String> acknowledged) {
        for (MetadataEntry entry : construct.getNode().getMetadata()) {
            if (Validations.ACKNOWLEDGED_RULES_METADATA_KEY.equals(entry.getType())
                    && entry.getData() instanceof Map<?, ?> data) {
                ((Map<String, Object>) data).forEach((id, reason) -> acknowledged.put(id, String.valueOf(reason)));
            }
        }
        for (IConstruct child : construct.getNode().getChildren()) {
            collect(child, acknowledged);
        }
    }

    /**
     * DescribeSigningJob on every job of the account is the one wildcard signing needs: acknowledged where it is
     * granted, and reported where it is granted without the acknowledgment.
     */
    @Test
    void signingJobsWildcard_isAcknowledgedByGrantVerify_andReportedWithoutIt() {
        App app = new App();
        Stack stack = new Stack(app, "Signing");
        Role verifying = Role.Builder.create(stack, "Verifying")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        SigningProfile profile = new SigningProfile(TestStacks.SIGNING_PROFILE, TestStacks.SIGNING_CERTIFICATE_ARN);
        profile.grantSign(verifying, Bucket.fromBucketName(stack, "Artifacts", "artifacts"));
        assertEquals(List.of(), ReleasePipelineApp.nagErrors(stack));

        Role bare = Role.Builder.create(stack, "Bare")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        bare.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("signer:DescribeSigningJob"))
                .resources(List.of(profile.jobsArn(stack)))
                .build());
        List<String> errors = ReleasePipelineApp.nagErrors(stack);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(
                errors.get(0)
                        .startsWith("AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:signer:<AWS::Region>:"
                                + "<AWS::AccountId>:/signing-jobs/*] at Signing/Bare/DefaultPolicy/Resource"),
                errors.toString());
    }

    @Test
    void check_reportsAnUnencryptedPublicBucketAndAWildcardAction() {
        App app = new App();
        Stack stack = new Stack(app, "Bad");
        new Bucket(stack, "Plain");
        Role role = Role.Builder.create(stack, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:*"))
                .resources(List.of("*"))
                .build());

        List<String> errors = ReleasePipelineApp.nagErrors(stack);

        assertFalse(errors.isEmpty());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("AwsSolutions-S10 ")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("AwsSolutions-IAM5[Action::s3:*] ")), errors.toString());
    }
}
