package io.smdrelease.lambda;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The handlers' configuration, from their environment (set by the CDK stack).
 *
 * @param artifactBucket the bucket that mirrors the distribution repository ({@code ARTIFACT_BUCKET})
 * @param storePrefix    an optional key prefix of that mirror ({@code ARTIFACT_STORE_PREFIX}), empty for none
 * @param stagingRepository where the builds push candidates ({@code STAGING_REPOSITORY}), {@code null} for none
 * @param environment    the whole environment, for the per-image-type CodeBuild projects
 *                       ({@code CPU_BUILD_PROJECT}, {@code GPU_BUILD_PROJECT}, …)
 */
public record PipelineSettings(
        String artifactBucket, String storePrefix, String stagingRepository, Map<String, String> environment) {

    public PipelineSettings {
        Objects.requireNonNull(artifactBucket, "artifactBucket");
        storePrefix = storePrefix == null ? "" : storePrefix;
        environment = Map.copyOf(environment);
    }

    public static PipelineSettings fromEnvironment() {
        Map<String, String> env = System.getenv();
        String bucket = env.get("ARTIFACT_BUCKET");
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalStateException(
                    "ARTIFACT_BUCKET is not set: the function needs the artifact bucket's name");
        }
        String staging = env.get("STAGING_REPOSITORY");
        return new PipelineSettings(
                bucket,
                env.getOrDefault("ARTIFACT_STORE_PREFIX", ""),
                staging == null || staging.isBlank() ? null : staging,
                env);
    }

    /** {@code s3://bucket[/prefix]}. */
    public String storeUri() {
        return "s3://" + artifactBucket + (storePrefix.isEmpty() ? "" : "/" + storePrefix);
    }

    /** Where a build fetches a version directory from: the bucket and the directory's key prefix. */
    public Map<String, String> fetchVariables(String versionDir) {
        String prefix = storePrefix.isEmpty() || storePrefix.endsWith("/") ? storePrefix : storePrefix + "/";
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        variables.put("ARTIFACT_BUCKET", artifactBucket);
        variables.put("ARTIFACT_PREFIX", prefix + versionDir);
        return variables;
    }

    /** The CodeBuild project that builds an image type: {@code <TYPE>_BUILD_PROJECT}. */
    public String buildProject(String imageType) {
        String variable = imageType.toUpperCase(Locale.ROOT).replace('-', '_') + "_BUILD_PROJECT";
        String project = environment.get(variable);
        if (project == null || project.isBlank()) {
            throw new IllegalStateException(
                    variable + " is not set: the function needs the CodeBuild project of " + imageType + " images");
        }
        return project;
    }
}
