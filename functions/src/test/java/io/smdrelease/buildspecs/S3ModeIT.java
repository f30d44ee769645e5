package io.smdrelease.buildspecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.MiniStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts in S3 mode (no ARTIFACT_DIR) against MiniStack's S3 on 127.0.0.1 through the aws CLI
 * ({@code AWS_ENDPOINT_URL}): a store prefix before build_artifacts/, the tests from {@code <root>test/}, env.out
 * and candidate-cpu.json uploaded next to the artifacts. MiniStack is started here directly; the ECR path through
 * MiniStack is not covered yet.
 */
class S3ModeIT {

    private static final String BUCKET = "smd-artifacts";
    private static final String PREFIX = "store/build_artifacts/v4/v4.4/v4.4.1";

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static MiniStack ministack;
    private static Map<String, String> awsEnv;
    private static LocalRegistry registry;

    @BeforeAll
    static void startMiniStackAndRegistry() throws Exception {
        BuildScripts.requireBuildTools();
        LocalRegistry.requireTools("aws", "docker-registry");
        ministack = MiniStack.start();
        awsEnv = Map.of(
                "AWS_ENDPOINT_URL", ministack.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", MiniStack.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", MiniStack.SECRET_KEY,
                "AWS_DEFAULT_REGION", ministack.region().id(),
                "AWS_REGION", ministack.region().id());
        registry = LocalRegistry.start(shared.resolve("registry"));

        aws(shared, "s3", "mb", "s3://" + BUCKET);
        Path version = BuildScripts.versionDir(shared.resolve("upload/version"));
        Path tests = BuildScripts.distributionTests(shared.resolve("upload/test"), 4, false);
        aws(
                shared,
                "s3",
                "cp",
                "--recursive",
                "--only-show-errors",
                version.toString(),
                "s3://" + BUCKET + "/" + PREFIX + "/");
        aws(
                shared,
                "s3",
                "cp",
                "--recursive",
                "--only-show-errors",
                tests.toString(),
                "s3://" + BUCKET + "/store/test/");
        // a sibling version whose name starts like ours: must not be fetched
        Files.writeString(shared.resolve("decoy.txt"), "v4.4.10\n");
        aws(
                shared,
                "s3",
                "cp",
                shared.resolve("decoy.txt").toString(),
                "s3://" + BUCKET + "/store/build_artifacts/v4/v4.4/v4.4.10/decoy.txt");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (ministack != null) {
            ministack.close();
        }
    }

    private static BuildScripts.Result aws(Path cwd, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("aws"));
        command.addAll(List.of(args));
        BuildScripts.Result result = BuildScripts.run(cwd, awsEnv, command);
        assertEquals(0, result.exitCode(), String.join(" ", command) + "\n" + result.output());
        return result;
    }

    private byte[] s3Object(String key) throws Exception {
        Path local = dir.resolve("download-" + key.replace('/', '_'));
        aws(dir, "s3", "cp", "--only-show-errors", "s3://" + BUCKET + "/" + key, local.toString());
        return Files.readAllBytes(local);
    }

    @Test
    void s3Mode_fetchesVersionAndTests_uploadsEnvOutTestReportAndCandidateUnderItsResultsPrefixOnly() throws Exception {
        Map<String, String> env = new HashMap<>(awsEnv);
        env.putAll(BuildScripts.localEnv(shared.resolve("storage"), dir.resolve("work"), dir, dir));
        env.remove("ARTIFACT_DIR");
        env.remove("TEST_DIR");
        env.put("ARTIFACT_BUCKET", BUCKET);
        env.put("ARTIFACT_PREFIX", PREFIX);
        env.put("RESULTS_PREFIX", "incoming/run-1/cpu");
        String repo = registry.repository("s3-mode/sagemaker-distribution");
        env.put("STAGING_REPO", repo);
        var result = BuildScripts.runScripts(
                dir, env, "fetch.sh", "build-image.sh", "export-env.sh", "run-tests.sh", "push.sh");

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("synced s3://" + BUCKET + "/store/test/"), result.output());
        assertTrue(result.output().matches("(?s).*passed +numpy\\.test\\.Dockerfile.*"), result.output());
        assertFalse(Files.exists(dir.resolve("work/version/decoy.txt")), "v4.4.10 was not fetched");
        assertTrue(Files.exists(dir.resolve("work/version/Dockerfile")));

        // the build writes only under its results prefix (below the store's root), never into the version
        String results = "store/incoming/run-1/cpu";
        byte[] expected = Files.readAllBytes(BuildScripts.resources().resolve("expected/cpu.env.out"));
        assertArrayEquals(expected, s3Object(results + "/cpu.env.out"));
        assertTrue(
                aws(dir, "s3", "ls", "s3://" + BUCKET + "/" + PREFIX + "/")
                        .output()
                        .lines()
                        .noneMatch(l -> l.endsWith("cpu.env.out") || l.contains("candidate-")),
                "nothing written into the version directory");
        JsonNode tested = new ObjectMapper().readTree(s3Object(results + "/test-report-cpu.json"));
        assertEquals(2, tested.at("/summary/passed").asInt(), tested.toString());
        JsonNode candidate = new ObjectMapper().readTree(s3Object(results + "/candidate-cpu.json"));
        assertEquals(repo, candidate.get("repository").asText());
        assertEquals(
                BuildScripts.remoteDigest(repo, BuildScripts.CANDIDATE_TAG),
                candidate.get("digest").asText());
    }

    @Test
    void s3Mode_prefixWithoutBuildArtifacts_failsNamingIt() throws Exception {
        Map<String, String> env = new HashMap<>(awsEnv);
        env.putAll(BuildScripts.localEnv(shared.resolve("storage"), dir.resolve("work"), dir, dir));
        env.remove("ARTIFACT_DIR");
        env.remove("TEST_DIR");
        env.put("ARTIFACT_BUCKET", BUCKET);
        env.put("ARTIFACT_PREFIX", "store/v4.4.1");
        var result = BuildScripts.runScripts(dir, env, "fetch.sh");

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(
                result.output().contains("ARTIFACT_PREFIX 'store/v4.4.1' does not contain build_artifacts/"),
                result.output());
    }
}
