package io.smdrelease.buildspecs;

import static org.junit.jupiter.api.Assertions.fail;

import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Runs the real scripts of buildspecs/scripts against a stand-in version directory (test helper). */
final class BuildScripts {

    /** Upper bound for one script; a build of the stand-in image takes seconds. */
    static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

    /** Variables of the contract and of the scripts that must not leak in from the developer's shell. */
    private static final List<String> CLEARED = List.of(
            "ARTIFACT_BUCKET",
            "ARTIFACT_PREFIX",
            "ARTIFACT_DIR",
            "TEST_DIR",
            "IMAGE_TYPE",
            "IMAGE_TAGS",
            "BUILD_ARGS",
            "DOCKERFILE",
            "TARGET_ECR_REPOS",
            "STAGING_REPO",
            "CANDIDATE_TAG",
            "RESULTS_PREFIX",
            "ECR_REGISTRY_HOSTS",
            "SKIP_TESTS",
            "WORK_DIR",
            "CONTAINER_ENGINE",
            "BUILDAH_STORAGE_DRIVER",
            "BUILDAH_ROOT",
            "BUILDAH_RUNROOT",
            "ENV_EXPORT_COMMAND",
            "BUILD_PULL",
            "PUSH_TIMEOUT",
            "INSPECT_TIMEOUT",
            "PUSH_ATTEMPTS",
            "PUSH_RETRY_FIRST_WAIT",
            "PUSH_RETRY_MAX_WAIT",
            "PUSH_RETRY_BUDGET",
            "SMD_ENGINE",
            "REGISTRY_AUTH_FILE");

    static final String IMAGE_VERSION = "4.4.1-cpu";
    /** The candidate tag the tests push to the staging repository. */
    static final String CANDIDATE_TAG = "candidate-4.4.1-cpu";

    static final String BUILD_ARGS =
            "{\"TAG_FOR_BASE_MICROMAMBA_IMAGE\":\"ubuntu24.04\",\"ENV_IN_FILENAME\":\"cpu.env.in\","
                    + "\"IMAGE_VERSION\":\"" + IMAGE_VERSION + "\"}";

    private BuildScripts() {}

    record Result(int exitCode, String output) {
        Result {
            if (output == null) {
                output = "";
            }
        }
    }

    static Path repoDir() {
        String dir = System.getProperty("repo.dir");
        if (dir == null) {
            fail("system property repo.dir (the repository root) is not set; run the ITs through Maven failsafe");
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }

    static Path scriptsDir() {
        return repoDir().resolve("buildspecs/scripts");
    }

    /** functions/src/test/resources/buildspecs, read from the source tree so that file modes survive. */
    static Path resources() {
        return repoDir().resolve("functions/src/test/resources/buildspecs");
    }

    /** Skips (or fails with CI=true) when the tools of the build scripts are missing. */
    static void requireBuildTools() {
        LocalRegistry.requireTools("buildah", "podman", "skopeo", "jq", "busybox", "sha256sum", "python3");
    }

    /**
     * A copy of the stand-in version directory under {@code dir}, with the host's static busybox added (the
     * image is built FROM scratch).
     */
    static Path versionDir(Path dir) throws IOException {
        Path target = copyTree(resources().resolve("version"), dir);
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            busybox = LocalRegistry.findOnPath("busybox");
        }
        Files.copy(busybox, target.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        return target;
    }

    /** An empty test/ folder: a distribution without image tests, for the ITs that do not run them. */
    static Path testDir(Path dir) throws IOException {
        return Files.createDirectories(dir);
    }

    /** The stand-in of src/test/resources/buildspecs/image-tests whose case fails on the stand-in image. */
    static final String FAILING_CASE = "pandas.test.Dockerfile";

    /** The real harness files of SageMaker Distribution: ../shared/fixtures/image-tests; skips when absent. */
    static Path harnessFixtures() {
        Path shared = Trees.sharedDir();
        Assumptions.assumeTrue(
                shared != null, "../shared/fixtures is not here: the image tests of the real harness are skipped");
        return shared.resolve("fixtures/image-tests");
    }

    /**
     * A distribution's {@code test/} folder at {@code dir}: the real harness files (test_dockerfile_based_harness.py,
     * conftest.py, test_artifacts/v4 as test_artifacts/v{@code major}) with the stand-ins of
     * src/test/resources/buildspecs/image-tests in place of the real Dockerfiles that need the network. Without
     * {@code withFailingCase} the failing stand-in is left out, so its case is skipped (no Dockerfile).
     */
    static Path distributionTests(Path dir, int major, boolean withFailingCase) throws IOException {
        Path source = harnessFixtures().resolve("test");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String relative = source.relativize(file)
                        .toString()
                        .replaceFirst("^test_artifacts/v4", "test_artifacts/v" + major);
                Path to = dir.resolve(relative);
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.write(to, Files.readAllBytes(file)); // writable copies of the read-only fixtures
                }
            }
        }
        Path artifacts = dir.resolve("test_artifacts/v" + major);
        copyTree(resources().resolve("image-tests"), artifacts);
        if (!withFailingCase) {
            Files.delete(artifacts.resolve(FAILING_CASE));
        }
        return dir;
    }

    static Path copyTree(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    /**
     * The environment of a local-mode cpu build with buildah and its own storage under {@code storage}; the
     * caller adds or overrides variables.
     */
    static Map<String, String> localEnv(Path storage, Path workDir, Path versionDir, Path testDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CONTAINER_ENGINE", "buildah");
        env.put("BUILDAH_ROOT", storage.resolve("root").toString());
        env.put("BUILDAH_RUNROOT", storage.resolve("run").toString());
        env.put("WORK_DIR", workDir.toString());
        env.put("ARTIFACT_DIR", versionDir.toString());
        env.put("TEST_DIR", testDir.toString());
        env.put("IMAGE_TYPE", "cpu");
        env.put("IMAGE_TAGS", "4.4.1-cpu 4.4-cpu 4-cpu latest-cpu");
        env.put("BUILD_ARGS", BUILD_ARGS);
        env.put("DOCKERFILE", "Dockerfile");
        env.put("TARGET_ECR_REPOS", "");
        env.put("STAGING_REPO", "");
        env.put("CANDIDATE_TAG", CANDIDATE_TAG);
        env.put("SKIP_TESTS", "false");
        return env;
    }

    /** Runs one command with the cleaned environment plus {@code env}, output (stdout and stderr) captured. */
    static Result run(Path cwd, Map<String, String> env, List<String> command)
            throws IOException, InterruptedException {
        Files.createDirectories(cwd);
        Path out = Files.createTempFile(cwd, "run-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile());
        builder.environment().keySet().removeAll(CLEARED);
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(out.toFile());
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process process = builder.start();
        if (!process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("%s did not finish within %s; output so far:%n%s"
                    .formatted(command, SCRIPT_TIMEOUT, Files.readString(out, StandardCharsets.UTF_8)));
        }
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        Files.delete(out);
        return result;
    }

    /** Runs the named scripts one after the other, stopping at the first failure; the output of all of them. */
    static Result runScripts(Path cwd, Map<String, String> env, String... scripts)
            throws IOException, InterruptedException {
        StringBuilder output = new StringBuilder();
        for (String script : scripts) {
            List<String> command =
                    new ArrayList<>(List.of(scriptsDir().resolve(script).toString()));
            Result result = run(cwd, env, command);
            output.append("$ ").append(script).append('\n').append(result.output());
            if (result.exitCode() != 0) {
                return new Result(result.exitCode(), output.toString());
            }
        }
        return new Result(0, output.toString());
    }

    /** The manifest digest of {@code repo:tag} as the registry serves it, read with skopeo (plain http). */
    static String remoteDigest(String repo, String tag) throws IOException, InterruptedException {
        Path tmp = Files.createTempFile("manifest-", ".json");
        try {
            ProcessBuilder builder = new ProcessBuilder(
                            "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + repo + ":" + tag)
                    .redirectOutput(tmp.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("skopeo inspect of " + repo + ":" + tag + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                fail("skopeo inspect of " + repo + ":" + tag + " exited with " + process.exitValue());
            }
            byte[] manifest = Files.readAllBytes(tmp);
            return "sha256:" + HexFormat.of().formatHex(sha256(manifest));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repositories a registry holds ({@code GET /v2/_catalog}): what a build may and may not have touched. */
    static List<String> catalog(String hostPort) throws IOException, InterruptedException {
        return registryList(hostPort, "/v2/_catalog", "repositories");
    }

    /** The tags of {@code host:port/path} ({@code GET /v2/<path>/tags/list}), sorted. */
    static List<String> tags(String repository) throws IOException, InterruptedException {
        int slash = repository.indexOf('/');
        return registryList(
                repository.substring(0, slash), "/v2/" + repository.substring(slash + 1) + "/tags/list", "tags");
    }

    private static List<String> registryList(String hostPort, String path, String field)
            throws IOException, InterruptedException {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            var response = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + hostPort + path))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return List.of();
            }
            var list = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(response.body())
                    .path(field);
            List<String> values = new ArrayList<>();
            list.forEach(v -> values.add(v.asText()));
            return values.stream().sorted().toList();
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
