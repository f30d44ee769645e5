package io.smdrelease.buildspecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.testsupport.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fetch.sh, build-image.sh and export-env.sh for real with buildah (chroot isolation, vfs) on the
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

    /** A local-mode cpu build without image tests (ImageTestsIT runs them). */
    private Map<String, String> env() throws Exception {
        Path version = BuildScripts.versionDir(dir.resolve("artifacts/version"));
        Map<String, String> env =
                new java.util.HashMap<>(BuildScripts.localEnv(storage, dir.resolve("work"), version, dir));
        env.remove("TEST_DIR");
        return env;
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
    void planReusingTheEnvOut_rebuildsFromIt_andDoesNotWriteItBack() throws Exception {
        Map<String, String> env = env();
        // what BuildPlanner passes when the env.out exists and the release does not resolve afresh
        env.put("BUILD_ARGS", env.get("BUILD_ARGS").replace("\"cpu.env.in\"", "\"cpu.env.out\""));
        Path version = Path.of(env.get("ARTIFACT_DIR"));
        // an env.out of an earlier build, one package fewer than a fresh solve gives
        String earlier = BuildScripts.read(BuildScripts.resources().resolve("expected/cpu.env.out"))
                .replaceAll("(?m)^.*/pytz-.*\\n", "");
        Files.writeString(version.resolve("cpu.env.out"), earlier);
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh", "export-env.sh");

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("reproducible rebuild from cpu.env.out"), result.output());
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
    void planSolvingAfresh_ignoresAnExistingEnvOut_andWritesItBack() throws Exception {
        Map<String, String> env = env();
        Path version = Path.of(env.get("ARTIFACT_DIR"));
        // the plan said cpu.env.in (the release resolves afresh): the script does not decide otherwise
        Files.writeString(version.resolve("cpu.env.out"), "@EXPLICIT\n");
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
        env.put("CONTAINER_ENGINE", "nerdctl");
        var result = BuildScripts.runScripts(dir, env, "fetch.sh", "build-image.sh");

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(
                result.output().contains("CONTAINER_ENGINE must be docker or buildah, got 'nerdctl'"), result.output());
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
}
