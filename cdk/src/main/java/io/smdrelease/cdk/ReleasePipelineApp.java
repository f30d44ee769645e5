package io.smdrelease.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/** Entry point of {@code cdk synth} / {@code cdk deploy} (see cdk.json). */
public final class ReleasePipelineApp {
    private ReleasePipelineApp() {}

    public static void main(String[] args) {
        App app = new App();
        PipelineConfig config;
        try {
            config = PipelineConfig.fromContext(key -> app.getNode().tryGetContext(key), Path.of(""));
        } catch (InvalidContextException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ReleasePipelineStack stack = createStack(app, config);
        // cdk-nag v3 reports through CDK policy validation, where any unacknowledged finding (error or warning) fails
        // synthesis; checking here first gives one readable list and a non-zero exit before anything is written.
        List<String> findings = new ArrayList<>(nagErrors(stack));
        findings.addAll(nagWarnings(stack));
        if (!findings.isEmpty()) {
            System.err.println(
                    "cdk-nag (AwsSolutions) found " + findings.size() + " unacknowledged finding(s); fix them or"
                            + " acknowledge each with a specific reason (Nag.acknowledge):");
            findings.forEach(finding -> System.err.println("  " + finding));
            System.exit(1);
            return;
        }
        app.synth();
    }

    /**
     * CDK feature flags the stack is written for. They are set here rather than in cdk.json so that the tests, which
     * build their own App, synthesize exactly what {@code cdk synth} does.
     */
    static final Map<String, Object> FEATURE_FLAGS = Map.of(
            // access-log delivery through a bucket policy instead of the LogDeliveryWrite ACL (works with
            // BucketOwnerEnforced object ownership)
            "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true,
            "@aws-cdk/aws-s3:createDefaultLoggingPolicy", true,
            // merge statements with the same actions into one, smaller policies
            "@aws-cdk/aws-iam:minimizePolicies", true,
            "@aws-cdk/core:target-partitions", List.of("aws", "aws-cn"));

    /** The stack as deployed, with the AwsSolutions pack registered as a policy validation plugin. */
    public static ReleasePipelineStack createStack(App app, PipelineConfig config) {
        FEATURE_FLAGS.forEach((flag, value) -> app.getNode().setContext(flag, value));
        Validations.of(app)
                .addPlugins(new AwsSolutionsChecks(
                        app, NagPackProps.builder().verbose(true).build()));
        return new ReleasePipelineStack(
                app,
                config.stackName(),
                StackProps.builder()
                        .description("smd-release: release pipeline for conda-based container images")
                        .env(Environment.builder()
                                .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                                .region(System.getenv("CDK_DEFAULT_REGION"))
                                .build())
                        .build(),
                config);
    }

    /** Every AwsSolutions violation of severity error below {@code scope}, as "rule at path: description". */
    public static List<String> nagErrors(IConstruct scope) {
        return violations(scope, "error");
    }

    public static List<String> nagWarnings(IConstruct scope) {
        return violations(scope, "warning");
    }

    private static List<String> violations(IConstruct scope, String severity) {
        PolicyValidationPluginReport report = new AwsSolutionsChecks().validateScope(scope);
        return report.getViolations().stream()
                .filter(v -> severity.equalsIgnoreCase(v.getSeverity()))
                .flatMap(v -> v.getViolatingResources().stream()
                        .map(r -> v.getRuleName() + " at " + r.getConstructPath() + ": " + v.getDescription()))
                .toList();
    }

    static List<PolicyViolation> allViolations(IConstruct scope) {
        return new AwsSolutionsChecks().validateScope(scope).getViolations();
    }
}
