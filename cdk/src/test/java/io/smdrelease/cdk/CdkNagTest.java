package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.Bucket;

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
        PipelineConfig.CREATE_ECR_REPOSITORIES, false,
        PipelineConfig.ECR_REPOSITORY_ARNS, List.of(ReleasePipelineContextTest.REPO_A),
        PipelineConfig.ALARM_EMAIL, "ops@example.com",
        PipelineConfig.ARTIFACT_STORE_PREFIX, "smd/"));
    assertEquals(List.of(), ReleasePipelineApp.nagErrors(stack));
    assertEquals(List.of(), ReleasePipelineApp.nagWarnings(stack));
  }

  @Test
  void check_reportsAnUnencryptedPublicBucketAndAWildcardAction() {
    App app = new App();
    Stack stack = new Stack(app, "Bad");
    new Bucket(stack, "Plain");
    Role role = Role.Builder.create(stack, "Role").assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
    role.addToPolicy(PolicyStatement.Builder.create().actions(List.of("s3:*")).resources(List.of("*")).build());

    List<String> errors = ReleasePipelineApp.nagErrors(stack);

    assertFalse(errors.isEmpty());
    assertTrue(errors.stream().anyMatch(e -> e.startsWith("AwsSolutions-S10 ")), errors.toString());
    assertTrue(errors.stream().anyMatch(e -> e.startsWith("AwsSolutions-IAM5[Action::s3:*] ")), errors.toString());
  }
}
