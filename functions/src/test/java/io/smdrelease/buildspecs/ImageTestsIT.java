package io.smdrelease.buildspecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run-tests.sh with the real harness of SageMaker Distribution (../shared/fixtures/image-tests: its case lists, its
 * boto3 and recovery-mode Dockerfiles) against the stand-in image: buildah builds the test images, podman runs their
 * containers on the same storage. Real Dockerfiles that need the network are replaced by stand-ins.
 */
class ImageTestsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMAGE = "localhost/sagemaker-distribution:4.4.1-cpu";
    private static final String RECOVERY = "sagemaker-recovery-mode.test.Dockerfile";

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /** The cpu version directory after build-image.sh and export-env.sh (holds cpu.env.out). */
    private static Path cpuVersion;

    @BeforeAll
    static void buildCpuImage() throws Exception {
        BuildScripts.requireBuildTools();
        BuildScripts.harnessFixtures();
        cpuVersion = build("cpu");
    }

    /** Builds the stand-in image of {@code type} into the shared storage; its version directory. */
    private static Path build(String type) throws Exception {
        Path version = BuildScripts.versionDir(shared.resolve(type + "/version"));
        Map<String, String> env = imageEnv(type, shared.resolve(type + "/work"), version, version);
        env.remove("TEST_DIR");
        var result = BuildScripts.runScripts(shared, env, "fetch.sh", "build-image.sh", "export-env.sh");
        assertEquals(0, result.exitCode(), result.output());
        return version;
    }

    private static Map<String, String> imageEnv(String type, Path work, Path version, Path tests) {
        Map<String, String> env = new HashMap<>(BuildScripts.localEnv(shared.resolve("storage"), work, version, tests));
        env.put("IMAGE_TYPE", type);
        env.put("BUILD_ARGS", BuildScripts.BUILD_ARGS.replace("4.4.1-cpu", "4.4.1-" + type));
        return env;
    }

    /** fetch.sh and run-tests.sh on a copy of the built version directory (the report is published there). */
    private BuildScripts.Result runTests(String type, Path version, Path tests, Map<String, String> extra)
            throws Exception {
        Path copy = BuildScripts.copyTree(version, dir.resolve("artifacts/version"));
        Map<String, String> env = imageEnv(type, dir.resolve("work"), copy, tests);
        env.putAll(extra);
        return BuildScripts.runScripts(dir, env, "fetch.sh", "run-tests.sh");
    }

    private JsonNode report(String type) throws Exception {
        String published = BuildScripts.read(dir.resolve("artifacts/version/test-report-" + type + ".json"));
        assertEquals(BuildScripts.read(dir.resolve("work/test-report-" + type + ".json")), published, "published");
        return JSON.readTree(published);
    }

    private static JsonNode only(JsonNode report, String name) {
        List<JsonNode> found = new ArrayList<>();
        report.get("cases").forEach(c -> {
            if (name.equals(c.get("name").asText())) {
                found.add(c);
            }
        });
        assertEquals(1, found.size(), name + " in " + report);
        return found.get(0);
    }

    private static void assertCase(JsonNode report, String name, String result, String reason) {
        JsonNode c = only(report, name);
        assertEquals(result, c.get("result").asText(), c.toString());
        assertTrue(c.get("reason").asText().contains(reason), c.toString());
    }

    private static void assertSummary(JsonNode report, int passed, int failed, int skipped) {
        assertEquals(
                Map.of("passed", passed, "failed", failed, "skipped", skipped),
                JSON.convertValue(report.get("summary"), Map.class),
                report.get("summary").toString());
    }

    /** harness-cases.py on the real harness and its v4 Dockerfiles: the plan of {@code type} for {@code envOut}. */
    private JsonNode plan(String type, Path envOut) throws Exception {
        Path fixtures = BuildScripts.harnessFixtures().resolve("test");
        var run = BuildScripts.run(
                dir,
                Map.of(),
                List.of(
                        "python3",
                        BuildScripts.scriptsDir().resolve("harness-cases.py").toString(),
                        "--harness",
                        fixtures.resolve("test_dockerfile_based_harness.py").toString(),
                        "--image-type",
                        type,
                        "--artifacts",
                        fixtures.resolve("test_artifacts/v4").toString(),
                        "--env-out",
                        envOut.toString()));
        assertEquals(0, run.exitCode(), run.output());
        return JSON.readTree(run.output());
    }

    /** The case lists are the harness file's, in its order, with pytest's ids. */
    @Test
    void casesAreReadFromTheRealHarness_withTheHarnessSkips() throws Exception {
        Path envOut = BuildScripts.resources().resolve("expected/cpu.env.out");
        Map<String, JsonNode> plans = Map.of("cpu", plan("cpu", envOut), "gpu", plan("gpu", envOut));
        JsonNode cpu = plans.get("cpu");
        assertEquals(53, cpu.get("cases").size());
        assertEquals(59, plans.get("gpu").get("cases").size());
        assertEquals(59, cpu.get("deselected").asInt(), "the gpu list is not run for a cpu image");
        JsonNode numpy = cpu.get("cases").get(7);
        assertEquals(
                "test_dockerfiles_for_cpu[numpy.test.Dockerfile-required_packages7]",
                numpy.get("id").asText());
        assertTrue(numpy.get("skip").isNull(), "numpy is in the env.out and its Dockerfile exists: " + numpy);
        assertEquals(
                "Skipping test because boto3 is not present in cpu.env.out",
                cpu.get("cases").get(8).get("skip").asText());
        assertEquals(
                "Skipping test because anaconda.test.Dockerfile does not exist.",
                cpu.get("cases").get(0).get("skip").asText());
        JsonNode recovery = cpu.get("cases").get(34);
        assertEquals(RECOVERY, recovery.get("name").asText());
        assertEquals(
                "jupyterlabserver entered RUNNING state",
                recovery.at("/waitForLog/text").asText());
        assertEquals(5, recovery.at("/waitForLog/timeout").asInt());
        assertTrue(cpu.get("cases").get(7).get("waitForLog").isNull());
    }

    /** Package names as conda's MatchSpec gives them, for specs as well as explicit URLs. */
    @Test
    void requiredPackagesAreMatchedByMatchSpecName() throws Exception {
        Path envOut = dir.resolve("gpu.env.out");
        Files.writeString(
                envOut,
                "# comment\n@EXPLICIT\nconda-forge::pytorch[version='>=2.6.0,<2.7.0']\ntensorflow >=2.18\n"
                        + "https://conda.anaconda.org/conda-forge/linux-64/pandas-2.2.3-py312hf9745cd_3.conda#e015\n"
                        + "https://conda.anaconda.org/conda-forge/linux-64/libjpeg-turbo-1!3.1.0-hb9d3cd8_0.conda\n");
        Map<String, String> skips = new HashMap<>();
        plan("gpu", envOut)
                .get("cases")
                .forEach(c -> skips.put(c.get("name").asText(), c.get("skip").asText()));
        assertEquals("null", skips.get("gpu-dependencies.test.Dockerfile"), "pytorch and tensorflow: " + skips);
        assertEquals("null", skips.get("pandas.test.Dockerfile"), skips.toString());
        assertEquals("Skipping test because numpy is not present in gpu.env.out", skips.get("numpy.test.Dockerfile"));
    }

    @Test
    void failingCase_failsTheScriptNamingIt_printsItsLogs_andEveryCaseIsReported() throws Exception {
        Path tests = BuildScripts.distributionTests(dir.resolve("tests"), 4, true);
        var result = runTests("cpu", cpuVersion, tests, Map.of());

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(
                result.output().contains("ERROR: image test case(s) failed: pandas.test.Dockerfile\n"),
                result.output());
        assertTrue(result.output().contains("stand-in pandas tests: pandas 3 expected, 1 failed"), "logs printed");
        JsonNode report = report("cpu");
        assertEquals("cpu", report.get("imageType").asText());
        assertEquals(IMAGE, report.get("image").asText());
        var inspect = BuildScripts.run(
                dir,
                Map.of(),
                List.of(
                        "buildah",
                        "--storage-driver",
                        "vfs",
                        "--root",
                        shared.resolve("storage/root").toString(),
                        "--runroot",
                        shared.resolve("storage/run").toString(),
                        "inspect",
                        "--type",
                        "image",
                        "--format",
                        "{{.FromImageID}}",
                        IMAGE));
        assertEquals("sha256:" + inspect.output().strip(), report.get("imageId").asText());
        assertEquals(
                "test/test_dockerfile_based_harness.py", report.get("harness").asText());
        assertFalse(report.get("skipTests").asBoolean());
        assertEquals(53, report.get("cases").size(), "every case of the cpu list");
        assertEquals(
                "test_dockerfiles_for_cpu[anaconda.test.Dockerfile-required_packages0]",
                report.get("cases").get(0).get("id").asText(),
                "in the harness's order");
        assertCase(report, "numpy.test.Dockerfile", "passed", "");
        assertCase(report, "pandas.test.Dockerfile", "failed", "the default command exited with 1");
        assertCase(report, RECOVERY, "passed", "");
        assertCase(report, "boto3.test.Dockerfile", "skipped", "boto3 is not present in cpu.env.out");
        assertCase(report, "scipy.test.Dockerfile", "skipped", "scipy.test.Dockerfile does not exist.");
        assertFalse(report.toString().contains("gpu-dependencies"), "a gpu case is not a case of a cpu image");
        assertEquals(59, report.get("deselected").asInt());
        assertSummary(report, 2, 1, 50);
        assertTrue(only(report, "numpy.test.Dockerfile").get("seconds").asDouble() > 0);
    }

    @Test
    void passingCases_exitZero_testImagesAndContainersRemoved() throws Exception {
        Path tests = BuildScripts.distributionTests(dir.resolve("tests"), 4, false);
        var result = runTests("cpu", cpuVersion, tests, Map.of());

        assertEquals(0, result.exitCode(), result.output());
        JsonNode report = report("cpu");
        assertCase(report, "pandas.test.Dockerfile", "skipped", "pandas.test.Dockerfile does not exist.");
        assertSummary(report, 2, 0, 51);
        assertTrue(result.output().contains("cpu image tests: passed 2, failed 0, skipped 51"), result.output());
        assertEquals("", podman("ps", "-aq"), "no container left");
        String images = podman("images", "--format", "{{.Repository}}");
        assertFalse(images.contains("smd-image-test"), images);
        assertTrue(images.contains("localhost/sagemaker-distribution"), "podman sees buildah's images: " + images);
    }

    /** podman on the shared storage the way lib.sh runs it; its standard output. */
    private String podman(String... args) throws Exception {
        Path storage = shared.resolve("storage");
        List<String> command = new ArrayList<>(List.of(
                "podman",
                "--storage-driver",
                "vfs",
                "--root",
                storage.resolve("root").toString(),
                "--runroot",
                storage.resolve("run").toString(),
                "--tmpdir",
                storage.resolve("run/libpod").toString()));
        command.addAll(List.of(args));
        var result = BuildScripts.run(dir, Map.of(), command);
        assertEquals(0, result.exitCode(), result.output());
        return result.output().strip();
    }

    @Test
    void recoveryMode_withoutTheRunningLineWithinFiveSeconds_fails() throws Exception {
        Path tests = BuildScripts.distributionTests(dir.resolve("tests"), 4, false);
        Path recovery = tests.resolve("test_artifacts/v4").resolve(RECOVERY);
        String real = BuildScripts.read(recovery);
        assertTrue(real.contains("ENV SAGEMAKER_RECOVERY_MODE=true"), real);
        // the stand-in entrypoint then never brings JupyterLab up, and keeps running
        Files.writeString(recovery, real.replace("SAGEMAKER_RECOVERY_MODE=true", "SAGEMAKER_RECOVERY_MODE=false"));
        var result = runTests("cpu", cpuVersion, tests, Map.of());

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("image test case(s) failed: " + RECOVERY + "\n"), result.output());
        assertTrue(result.output().contains("jupyterlabserver entered FATAL state"), "its logs: " + result.output());
        JsonNode report = report("cpu");
        assertCase(
                report,
                RECOVERY,
                "failed",
                "the container did not log 'jupyterlabserver entered RUNNING state' within 5 s");
        assertTrue(only(report, RECOVERY).get("seconds").asDouble() >= 5, report.toString());
        assertCase(report, "numpy.test.Dockerfile", "passed", "");
    }

    @Test
    void testImageThatDoesNotBuild_failsWithItsBuildLog() throws Exception {
        Path tests = BuildScripts.distributionTests(dir.resolve("tests"), 4, false);
        Files.writeString(
                tests.resolve("test_artifacts/v4/numpy.test.Dockerfile"),
                "ARG SAGEMAKER_DISTRIBUTION_IMAGE\nFROM $SAGEMAKER_DISTRIBUTION_IMAGE\nRUN echo no compiler here >&2 && exit 3\n");
        var result = runTests("cpu", cpuVersion, tests, Map.of());

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("no compiler here"), result.output());
        assertCase(report("cpu"), "numpy.test.Dockerfile", "failed", "the test image did not build");
    }

    @Test
    void gpuImage_runsTheGpuList_withoutGpusOnAHostWithoutThem() throws Exception {
        boolean hasGpu = BuildScripts.run(
                                dir,
                                Map.of(),
                                List.of(
                                        "bash",
                                        "-c",
                                        "nvidia-smi --query-gpu=driver_version --format=csv,noheader --id=0"))
                        .exitCode()
                == 0;
        Path gpuVersion = build("gpu");
        Path tests = BuildScripts.distributionTests(dir.resolve("tests"), 4, false);
        var result = runTests("gpu", gpuVersion, tests, Map.of());

        assertEquals(0, result.exitCode(), result.output());
        JsonNode report = report("gpu");
        assertEquals(59, report.get("cases").size());
        assertEquals(53, report.get("deselected").asInt());
        assertEquals(hasGpu ? "all" : "none", report.get("gpus").asText());
        if (!hasGpu) {
            assertTrue(
                    result.output().contains("no NVIDIA driver answers (nvidia-smi): the gpu cases run without GPUs"));
        }
        assertCase(report, "gpu-dependencies.test.Dockerfile", "passed", "");
        assertCase(report, RECOVERY, "passed", "");
        assertCase(report, "tf-keras.test.Dockerfile", "skipped", "tf-keras.test.Dockerfile does not exist.");
    }

    @Test
    void skipTests_writesAReportWithoutCases_andRunsNothing() throws Exception {
        Path tests = BuildScripts.distributionTests(dir.resolve("tests"), 4, true);
        var result = runTests("cpu", cpuVersion, tests, Map.of("SKIP_TESTS", "true"));

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SKIP_TESTS=true: image tests SKIPPED"), result.output());
        assertFalse(result.output().contains("running case"), result.output());
        JsonNode report = report("cpu");
        assertEquals("cpu", report.get("imageType").asText());
        assertTrue(report.get("skipTests").asBoolean());
        assertEquals(0, report.get("cases").size());
        assertSummary(report, 0, 0, 0);
    }

    @Test
    void distributionWithoutTheHarness_reportsNoCases_harnessNull_exitZero() throws Exception {
        Path tests = BuildScripts.distributionTests(dir.resolve("tests"), 4, true);
        Files.delete(tests.resolve("test_dockerfile_based_harness.py"));
        var result = runTests("cpu", cpuVersion, tests, Map.of());

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("WARNING: the distribution has no test/test_dockerfile_based_harness.py"));
        JsonNode report = report("cpu");
        assertTrue(report.get("harness").isNull(), report.toString());
        assertEquals(0, report.get("cases").size());
        assertTrue(report.get("note").asText().contains("no image test was run"), report.toString());
        assertEquals(IMAGE, report.get("image").asText());
    }

    @Test
    void versionWithoutItsEnvOut_skipsEveryCase() throws Exception {
        Path tests = BuildScripts.distributionTests(dir.resolve("tests"), 4, true);
        Path version = BuildScripts.copyTree(cpuVersion, dir.resolve("no-env-out"));
        Files.delete(version.resolve("cpu.env.out"));
        var result = runTests("cpu", version, tests, Map.of());

        assertEquals(0, result.exitCode(), result.output());
        JsonNode report = report("cpu");
        assertSummary(report, 0, 0, 53);
        assertCase(report, "numpy.test.Dockerfile", "skipped", "/cpu.env.out does not exist.");
        assertCase(report, "scipy.test.Dockerfile", "skipped", "scipy.test.Dockerfile does not exist.");
    }
}
