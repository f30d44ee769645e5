package io.smdrelease.buildplan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one image of a version is built: what {@code build} does per image type (docs/original-tool.md §3).
 *
 * @param imageType   {@code cpu} or {@code gpu}
 * @param envFile     the env file the image is solved from: {@code <type>.env.in}, or {@code <type>.env.out} for a
 *                    reproducible rebuild
 * @param reusesEnvOut whether the build reuses the existing env.out (it exists and force is off)
 * @param buildArgs   the docker build args in order, ending with {@code IMAGE_VERSION} and
 *                    {@code EXTERNAL_LIB_CACHE_S3_BUCKET}
 * @param dockerfile  {@code Dockerfile}, or {@code Dockerfile-<type>.patch} when the version has {@code *.patch} files
 * @param tags        the image tags, e.g. {@code 4.4.1-cpu 4.4-cpu 4-cpu latest-cpu}
 * @param pytestFlags extra flags of the image tests ({@code --use-gpu})
 */
public record ImageBuildPlan(
        String imageType,
        String envFile,
        boolean reusesEnvOut,
        Map<String, String> buildArgs,
        String dockerfile,
        List<String> tags,
        List<String> pytestFlags) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ImageBuildPlan {
        buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
        tags = List.copyOf(tags);
        pytestFlags = List.copyOf(pytestFlags);
    }

    /** {@code BUILD_ARGS}: the build args as compact JSON, in order. */
    public String buildArgsJson() {
        try {
            return JSON.writeValueAsString(buildArgs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise build args " + buildArgs, e);
        }
    }

    /**
     * The CodeBuild environment of this image's build, exactly the {@code environment} list of a {@code builds[]}
     * entry of the pipeline contract (docs/contract.md), in its order.
     *
     * @param artifactBucket  the bucket that holds the version
     * @param artifactPrefix  the key prefix of the version directory in the bucket (the store's prefix included)
     * @param targetEcrRepos  the repositories to push to, possibly none
     */
    public List<CodeBuildVariable> codeBuildEnvironment(
            String artifactBucket,
            String artifactPrefix,
            List<String> targetEcrRepos,
            boolean skipTests,
            boolean force) {
        List<CodeBuildVariable> env = new ArrayList<>(9);
        env.add(CodeBuildVariable.plaintext("ARTIFACT_BUCKET", artifactBucket));
        env.add(CodeBuildVariable.plaintext("ARTIFACT_PREFIX", artifactPrefix));
        env.add(CodeBuildVariable.plaintext("IMAGE_TYPE", imageType));
        env.add(CodeBuildVariable.plaintext("IMAGE_TAGS", String.join(" ", tags)));
        env.add(CodeBuildVariable.plaintext("BUILD_ARGS", buildArgsJson()));
        env.add(CodeBuildVariable.plaintext("DOCKERFILE", dockerfile));
        env.add(CodeBuildVariable.plaintext("TARGET_ECR_REPOS", String.join(" ", targetEcrRepos)));
        env.add(CodeBuildVariable.plaintext("SKIP_TESTS", Boolean.toString(skipTests)));
        env.add(CodeBuildVariable.plaintext("FORCE", Boolean.toString(force)));
        return List.copyOf(env);
    }
}
