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
     * The variables of this image's candidate build (docs/contract.md), in order; the caller adds where the build
     * fetches the version from. The build solves from {@code ENV_IN_FILENAME} of {@code BUILD_ARGS}, which already
     * says whether it reuses the env.out: the scripts do not decide that again.
     *
     * @param stagingRepository where the tested image is pushed by digest; {@code null} or empty for nowhere
     * @param candidateTag      its tag there
     * @param resultsPrefix     where in the bucket the build writes its results ({@code incoming/<run>/<type>})
     */
    public List<CodeBuildVariable> codeBuildEnvironment(
            String stagingRepository, String candidateTag, String resultsPrefix, boolean skipTests) {
        List<CodeBuildVariable> env = new ArrayList<>(7);
        env.add(CodeBuildVariable.plaintext("IMAGE_TYPE", imageType));
        env.add(CodeBuildVariable.plaintext("BUILD_ARGS", buildArgsJson()));
        env.add(CodeBuildVariable.plaintext("DOCKERFILE", dockerfile));
        env.add(CodeBuildVariable.plaintext("STAGING_REPO", stagingRepository == null ? "" : stagingRepository));
        env.add(CodeBuildVariable.plaintext("CANDIDATE_TAG", candidateTag));
        env.add(CodeBuildVariable.plaintext("RESULTS_PREFIX", resultsPrefix));
        env.add(CodeBuildVariable.plaintext("SKIP_TESTS", Boolean.toString(skipTests)));
        return List.copyOf(env);
    }
}
