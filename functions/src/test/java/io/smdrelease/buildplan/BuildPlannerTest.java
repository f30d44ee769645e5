package io.smdrelease.buildplan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.TestTrees;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.version.SemVer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code buildplan/repo}: 4.4.1 with both env.in files and only cpu.env.out (cpu built, gpu not); 4.4.2 with
 * {@code Dockerfile-*.patch} files; 4.4.3 with no env files.
 */
class BuildPlannerTest {
    private final BuildPlanner planner =
            new BuildPlanner(new LocalDirStore(TestTrees.resource("buildplan/repo")), ImageConfigs.builtIn());

    @Test
    void existingEnvOut_isReused_withoutArgBasedFile() {
        ImageBuildPlan cpu = planner.plan(SemVer.of(4, 4, 1), false).image("cpu");
        assertTrue(cpu.reusesEnvOut());
        assertEquals("cpu.env.out", cpu.envFile());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("TAG_FOR_BASE_MICROMAMBA_IMAGE", "ubuntu24.04");
        expected.put("ENV_IN_FILENAME", "cpu.env.out");
        expected.put("PINNED_ENV_IN_FILENAME", "cpu.pinned_env.in");
        expected.put("IMAGE_VERSION", "4.4.1-cpu");
        expected.put("EXTERNAL_LIB_CACHE_S3_BUCKET", "s3://external-lib-cache-prod");
        assertEquals(
                List.copyOf(expected.entrySet()), List.copyOf(cpu.buildArgs().entrySet()));
    }

    @Test
    void missingEnvOut_solvesFromEnvIn_keepingArgBasedFile() {
        ImageBuildPlan gpu = planner.plan(SemVer.of(4, 4, 1), false).image("gpu");
        assertFalse(gpu.reusesEnvOut());
        assertEquals("gpu.env.in", gpu.envFile());
        assertEquals(
                List.of(
                        "TAG_FOR_BASE_MICROMAMBA_IMAGE",
                        "CUDA_MAJOR_MINOR_VERSION",
                        "ENV_IN_FILENAME",
                        "PINNED_ENV_IN_FILENAME",
                        "ARG_BASED_ENV_IN_FILENAME",
                        "IMAGE_VERSION",
                        "EXTERNAL_LIB_CACHE_S3_BUCKET"),
                List.copyOf(gpu.buildArgs().keySet()));
        assertEquals("gpu.arg_based_env.in", gpu.buildArgs().get("ARG_BASED_ENV_IN_FILENAME"));
        assertEquals(List.of("--use-gpu"), gpu.pytestFlags());
    }

    @Test
    void force_solvesFromEnvInEvenWhenEnvOutExists() {
        ImageBuildPlan cpu = planner.plan(SemVer.of(4, 4, 1), true).image("cpu");
        assertFalse(cpu.reusesEnvOut());
        assertEquals("cpu.env.in", cpu.buildArgs().get("ENV_IN_FILENAME"));
    }

    @Test
    void patchFiles_selectThePerTypePatchDockerfile() {
        BuildPlan plan = planner.plan(SemVer.of(4, 4, 2), false);
        assertEquals("Dockerfile-gpu.patch", plan.image("gpu").dockerfile());
        assertEquals("Dockerfile-cpu.patch", plan.image("cpu").dockerfile());
        assertEquals(
                "Dockerfile",
                planner.plan(SemVer.of(4, 4, 1), false).image("cpu").dockerfile());
    }

    @Test
    void tags_comeFromTheVersionTagRules() {
        // 4.4.2 is a directory without env.out: it does not take 4.4 away from 4.4.1
        assertEquals(
                List.of("4.4.1-cpu", "4.4-cpu", "4-cpu", "latest-cpu"),
                planner.plan(SemVer.of(4, 4, 1), false).image("cpu").tags());
    }

    @Test
    void codeBuildEnvironment_matchesTheContract() {
        ImageBuildPlan gpu = planner.plan(SemVer.of(4, 4, 1), false).image("gpu");
        List<CodeBuildVariable> env = gpu.codeBuildEnvironment(
                "1.dkr.ecr.us-east-1.amazonaws.com/staging", "candidate-4.4.1-gpu-r1", "incoming/r1/gpu", false);
        assertEquals(
                List.of(
                        CodeBuildVariable.plaintext("IMAGE_TYPE", "gpu"),
                        CodeBuildVariable.plaintext(
                                "BUILD_ARGS",
                                "{\"TAG_FOR_BASE_MICROMAMBA_IMAGE\":\"cuda12.9.1-ubuntu24.04\","
                                        + "\"CUDA_MAJOR_MINOR_VERSION\":\"12.9\",\"ENV_IN_FILENAME\":\"gpu.env.in\","
                                        + "\"PINNED_ENV_IN_FILENAME\":\"gpu.pinned_env.in\",\"ARG_BASED_ENV_IN_FILENAME\":\"gpu.arg_based_env.in\","
                                        + "\"IMAGE_VERSION\":\"4.4.1-gpu\",\"EXTERNAL_LIB_CACHE_S3_BUCKET\":\"s3://external-lib-cache-prod\"}"),
                        CodeBuildVariable.plaintext("DOCKERFILE", "Dockerfile"),
                        CodeBuildVariable.plaintext("STAGING_REPO", "1.dkr.ecr.us-east-1.amazonaws.com/staging"),
                        CodeBuildVariable.plaintext("CANDIDATE_TAG", "candidate-4.4.1-gpu-r1"),
                        CodeBuildVariable.plaintext("RESULTS_PREFIX", "incoming/r1/gpu"),
                        CodeBuildVariable.plaintext("SKIP_TESTS", "false")),
                env);
    }

    @Test
    void codeBuildEnvironment_serialisesWithContractFieldNames() throws Exception {
        ImageBuildPlan cpu = planner.plan(SemVer.of(4, 4, 1), false).image("cpu");
        String json = new ObjectMapper()
                .writeValueAsString(cpu.codeBuildEnvironment(null, "t", "incoming/r/cpu", true)
                        .get(0));
        assertEquals("{\"Name\":\"IMAGE_TYPE\",\"Value\":\"cpu\",\"Type\":\"PLAINTEXT\"}", json);
        assertEquals(
                "",
                cpu.codeBuildEnvironment(null, "t", "incoming/r/cpu", true)
                        .get(3)
                        .value(),
                "no staging repository");
    }

    @Test
    void plan_roundTripsThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        BuildPlan plan = planner.plan(SemVer.of(4, 4, 1), false);
        JsonNode tree = json.readTree(json.writeValueAsString(plan));
        assertEquals("4.4.1", tree.get("version").asText());
        assertEquals("gpu", tree.get("images").get(0).get("imageType").asText());
        assertEquals(plan, json.readValue(json.writeValueAsString(plan), BuildPlan.class));
    }

    @Test
    void versionWithoutEnvFiles_isAClearError() {
        MissingArtifactException e =
                assertThrows(MissingArtifactException.class, () -> planner.plan(SemVer.of(4, 4, 3), false));
        assertTrue(e.getMessage().contains("build_artifacts/v4/v4.4/v4.4.3/gpu.env.in is missing"), e.getMessage());
    }

    @Test
    void versionWithoutDirectory_isAClearError() {
        BaseNotFoundException e =
                assertThrows(BaseNotFoundException.class, () -> planner.plan(SemVer.of(4, 9, 0), true));
        assertTrue(e.getMessage().contains("version 4.9.0 has no artifacts"), e.getMessage());
    }
}
