package io.smdrelease.lambda;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The handlers' configuration, from their environment, set by the CDK stack (ReleaseFunctions). The variable names are
 * defined here and only here on this side; pipeline-tests' LambdaWiringTest fails when they and the stack's drift apart.
 *
 * @param artifactBucket the bucket that mirrors the distribution repository ({@code ARTIFACT_BUCKET})
 * @param storePrefix    an optional key prefix of that mirror ({@code ARTIFACT_STORE_PREFIX}), empty for none
 * @param stagingRepository where the builds push candidates ({@code STAGING_REPOSITORY}), {@code null} for none
 * @param environment    the whole environment, for the per-image-type CodeBuild projects
 *                       ({@code CPU_BUILD_PROJECT}, {@code GPU_BUILD_PROJECT}, …)
 */
public record PipelineSettings(
        String artifactBucket, String storePrefix, String stagingRepository, Map<String, String> environment) {
    public static final String ARTIFACT_BUCKET = "ARTIFACT_BUCKET";
    public static final String ARTIFACT_STORE_PREFIX = "ARTIFACT_STORE_PREFIX";
    /** Space-separated repodata paths or URLs of the size gate. */
    public static final String REPODATA_URLS = "REPODATA_URLS";
    /** Space-separated repository URIs the nightly releases push to. */
    public static final String NIGHTLY_TARGET_ECR_REPOS = "NIGHTLY_TARGET_ECR_REPOS";
    /** The staging repository's URI, where the builds push candidates and Promote copies from. */
    public static final String STAGING_REPOSITORY = "STAGING_REPOSITORY";
    /** The SNS topic of approval requests. */
    public static final String APPROVAL_TOPIC_ARN = "APPROVAL_TOPIC_ARN";
    /** The AWS Signer profile (AWSIoTDeviceManagement-SHA256-ECDSA) that signs each gated candidate (Gates). */
    public static final String SIGNING_PROFILE = "SIGNING_PROFILE";
    /** The ACM certificate of that profile: what Gates and Promote verify a signature by. */
    public static final String SIGNING_CERTIFICATE_ARN = "SIGNING_CERTIFICATE_ARN";
    /** Every variable the handlers read, besides the {@link #buildProjectVariable} of each image type. */
    public static final List<String> VARIABLES = List.of(
            ARTIFACT_BUCKET,
            ARTIFACT_STORE_PREFIX,
            STAGING_REPOSITORY,
            APPROVAL_TOPIC_ARN,
            REPODATA_URLS,
            NIGHTLY_TARGET_ECR_REPOS,
            SIGNING_PROFILE,
            SIGNING_CERTIFICATE_ARN);

    public PipelineSettings {
        Objects.requireNonNull(artifactBucket, "artifactBucket");
        storePrefix = storePrefix == null ? "" : storePrefix;
        environment = Map.copyOf(environment);
    }

    public static PipelineSettings fromEnvironment() {
        Map<String, String> env = System.getenv();
        String bucket = env.get(ARTIFACT_BUCKET);
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalStateException(
                    ARTIFACT_BUCKET + " is not set: the function needs the artifact bucket's name");
        }
        String staging = env.get(STAGING_REPOSITORY);
        return new PipelineSettings(
                bucket,
                env.getOrDefault(ARTIFACT_STORE_PREFIX, ""),
                staging == null || staging.isBlank() ? null : staging,
                env);
    }

    /** {@code s3://bucket[/prefix]}. */
    public String storeUri() {
        return "s3://" + artifactBucket + (storePrefix.isEmpty() ? "" : "/" + storePrefix);
    }

    /** The key of a store path in the bucket: {@code <storePrefix>/<path>}, or the path without a prefix. */
    public String artifactKey(String path) {
        String prefix = storePrefix.endsWith("/") ? storePrefix : storePrefix + "/";
        return storePrefix.isEmpty() ? path : prefix + path;
    }

    /** Where a build fetches a version directory from: the bucket and the directory's key prefix. */
    public Map<String, String> fetchVariables(String versionDir) {
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        variables.put(ARTIFACT_BUCKET, artifactBucket);
        variables.put("ARTIFACT_PREFIX", artifactKey(versionDir));
        return variables;
    }

    /** The variable naming the CodeBuild project of an image type: {@code <TYPE>_BUILD_PROJECT}. */
    public static String buildProjectVariable(String imageType) {
        return imageType.toUpperCase(Locale.ROOT).replace('-', '_') + "_BUILD_PROJECT";
    }

    /** The CodeBuild project that builds an image type: {@link #buildProjectVariable}. */
    public String buildProject(String imageType) {
        String variable = buildProjectVariable(imageType);
        String project = environment.get(variable);
        if (project == null || project.isBlank()) {
            throw new IllegalStateException(
                    variable + " is not set: the function needs the CodeBuild project of " + imageType + " images");
        }
        return project;
    }
}
