package io.smdrelease.lambda;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The handlers' configuration, from their environment (set by the CDK stack).
 *
 * @param artifactBucket the bucket that mirrors the distribution repository ({@code ARTIFACT_BUCKET})
 * @param storePrefix    an optional key prefix of that mirror ({@code ARTIFACT_STORE_PREFIX}), empty for none
 * @param environment    the whole environment, for the per-image-type CodeBuild projects
 *                       ({@code CPU_BUILD_PROJECT}, {@code GPU_BUILD_PROJECT}, …)
 */
public record PipelineSettings(String artifactBucket, String storePrefix, Map<String, String> environment) {

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
        return new PipelineSettings(bucket, env.getOrDefault("ARTIFACT_STORE_PREFIX", ""), env);
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
