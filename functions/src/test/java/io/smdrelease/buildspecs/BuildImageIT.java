package io.smdrelease.buildspecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.testsupport.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fetch.sh, build-image.sh, export-env.sh and run-tests.sh for real with buildah (chroot isolation, vfs) on the
 * stand-in image of src/test/resources/buildspecs.
 */
class BuildImageIT {

    @TempDir
    static Path storage;

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        BuildScripts.requireBuildTools();
    }

    private Map<String, String> env() throws Exception {
        Path version = BuildScripts.versionDir(dir.resolve("artifacts/version"));
        Path tests = BuildScripts.testDir(dir.resolve("artifacts/test"));
        return new java.util.HashMap<>(BuildScripts.localEnv(storage, dir.resolve("work"), version, tests));
    }

    private static void assertRow(String output, String test, String result) {
        Pattern row = Pattern.compile("(?m)^" + Pattern.quote(test) + " +" + result + "\\b");
        assertTrue(row.matcher(output).find(), "expected row '" + test + " " + result + "' in:\n" + output);
    }

    @Test
    void buildsStandInImage_exportsEnvOutWithBangFix_andPublishesIt() throws Exception {
        Map<String, String> env = env();
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh", "export-env.sh");

        assertEquals(0, result.exitCode(), result.output());
        byte[] expected = Files.readAllBytes(BuildScripts.resources().resolve("expected/cpu.env.out"));
        byte[] solved = Files.readAllBytes(BuildScripts.resources().resolve("version/solved.explicit"));
        assertNotEquals(
                new String(solved), new String(expected), "the stand-in must print a %21 for the fix to matter");
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve("work/cpu.env.out")));
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve("artifacts/version/cpu.env.out")), "published");
        assertTrue(
                result.output().contains("building localhost/sagemaker-distribution:4.4.1-cpu with buildah"),
                result.output());
    }

    @Test
    void failingImageTest_failsBuildNamingIt_otherTestsReported() throws Exception {
        Map<String, String> env = env();
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh", "export-env.sh", "run-tests.sh");

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("ERROR: image test(s) failed: jupyterlab-pinned\n"), result.output());
        assertTrue(result.output().contains("jupyterlab 4.5 expected"), "the failed test's log is printed");
        assertRow(result.output(), "python-runs", "passed");
        assertRow(result.output(), "jupyterlab-pinned", "failed");
        assertRow(result.output(), "cuda-visible", "skipped +gpu only");
        assertRow(result.output(), "tensorflow-imports", "skipped +not in env.out: tensorflow");
    }

    @Test
    void passingImageTests_pass() throws Exception {
        Map<String, String> env = env();
        dropTest(Path.of(env.get("TEST_DIR")), "jupyterlab-pinned");
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh", "export-env.sh", "run-tests.sh");

        assertEquals(0, result.exitCode(), result.output());
        assertRow(result.output(), "python-runs", "passed");
        assertFalse(result.output().contains("jupyterlab-pinned"), result.output());
    }

    @Test
    void gpuImage_runsGpuOnlyTests() throws Exception {
        Map<String, String> env = env();
        dropTest(Path.of(env.get("TEST_DIR")), "jupyterlab-pinned");
        env.put("IMAGE_TYPE", "gpu");
        env.put("BUILD_ARGS", BuildScripts.BUILD_ARGS.replace("4.4.1-cpu", "4.4.1-gpu"));
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh", "export-env.sh", "run-tests.sh");

        assertEquals(0, result.exitCode(), result.output());
        assertRow(result.output(), "cuda-visible", "passed");
        assertRow(result.output(), "python-runs", "passed");
        assertTrue(Files.exists(dir.resolve("artifacts/version/gpu.env.out")));
    }

    @Test
    void skipTests_skipsImageTestsAndSaysSo() throws Exception {
        Map<String, String> env = env();
        env.put("SKIP_TESTS", "true");
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh", "export-env.sh", "run-tests.sh");

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SKIP_TESTS=true: image tests SKIPPED"), result.output());
        assertFalse(result.output().contains("running test"), result.output());
    }

    @Test
    void existingEnvOut_withoutForce_rebuildsFromIt_andDoesNotWriteItBack() throws Exception {
        Map<String, String> env = env();
        Path version = Path.of(env.get("ARTIFACT_DIR"));
        // an env.out of an earlier build, one package fewer than a fresh solve gives
        String earlier = BuildScripts.read(BuildScripts.resources().resolve("expected/cpu.env.out"))
                .replaceAll("(?m)^.*/pytz-.*\\n", "");
        Files.writeString(version.resolve("cpu.env.out"), earlier);
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh", "export-env.sh");

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(
                result.output().contains("cpu.env.out exists and FORCE is not true: reproducible rebuild"),
                result.output());
        assertTrue(
                result.output().contains("image was built from the existing cpu.env.out: not writing it back"),
                result.output());
        assertEquals(earlier, BuildScripts.read(dir.resolve("work/cpu.env.out")), "the image holds the env.out");
        assertEquals(earlier, BuildScripts.read(version.resolve("cpu.env.out")), "left as it was");
        var args =
                new ObjectMapper().readTree(dir.resolve("work/build-args.json").toFile());
        assertEquals("cpu.env.out", args.get("ENV_IN_FILENAME").asText());
    }

    @Test
    void existingEnvOut_withForce_solvesAfresh_andWritesItBack() throws Exception {
        Map<String, String> env = env();
        Path version = Path.of(env.get("ARTIFACT_DIR"));
        Files.writeString(version.resolve("cpu.env.out"), "@EXPLICIT\n");
        env.put("FORCE", "true");
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh", "export-env.sh");

        assertEquals(0, result.exitCode(), result.output());
        byte[] expected = Files.readAllBytes(BuildScripts.resources().resolve("expected/cpu.env.out"));
        assertArrayEquals(expected, Files.readAllBytes(version.resolve("cpu.env.out")));
    }

    @Test
    void missingDockerfile_failsFetchNamingIt() throws Exception {
        Map<String, String> env = env();
        env.put("DOCKERFILE", "Dockerfile-cpu.patch");
        var result = BuildScripts.runScripts(dir, env, "fetch.sh");

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("the version directory has no Dockerfile-cpu.patch"), result.output());
    }

    @Test
    void unknownEngine_failsNamingTheVariable() throws Exception {
        Map<String, String> env = env();
        env.put("CONTAINER_ENGINE", "podman");
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh");

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(
                result.output().contains("CONTAINER_ENGINE must be docker or buildah, got 'podman'"), result.output());
    }

    @Test
    void noEngineForced_withoutDockerEngine_usesBuildah() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                LocalRegistry.findOnPath("docker") == null
                        || BuildScripts.run(dir, Map.of(), List.of("docker", "info"))
                                        .exitCode()
                                != 0,
                "a Docker engine answers here: auto-detection would pick docker");
        Map<String, String> env = env();
        env.remove("CONTAINER_ENGINE");
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh");

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(
                result.output().contains("building localhost/sagemaker-distribution:4.4.1-cpu with buildah"),
                result.output());
    }

    @Test
    void noTestManifest_failsUnlessTestsSkipped() throws Exception {
        Map<String, String> env = env();
        env.remove("TEST_DIR");
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh", "export-env.sh", "run-tests.sh");

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("no test manifest at "), result.output());
        assertTrue(result.output().contains("(set SKIP_TESTS=true to build without tests)"), result.output());
    }

    static void dropTest(Path testDir, String name) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Path manifest = testDir.resolve("manifest.json");
        ObjectNode root = (ObjectNode) json.readTree(manifest.toFile());
        ArrayNode tests = (ArrayNode) root.get("tests");
        int before = tests.size();
        for (int i = tests.size() - 1; i >= 0; i--) {
            if (name.equals(tests.get(i).get("name").asText())) {
                tests.remove(i);
            }
        }
        assertEquals(before - 1, tests.size(), "manifest has test " + name);
        json.writeValue(manifest.toFile(), root);
    }
}
