package io.smdrelease.buildspecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.testsupport.LocalRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** push.sh for real: buildah-built stand-in image, skopeo, three docker-registry instances on 127.0.0.1. */
class PushIT {

    private static final List<String> TAGS = List.of("4.4.1-cpu", "4.4-cpu", "4-cpu", "latest-cpu");

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static final List<LocalRegistry> registries = new ArrayList<>();
    private static Map<String, String> builtEnv;

    @BeforeAll
    static void buildImageAndStartRegistries() throws Exception {
        BuildScripts.requireBuildTools();
        LocalRegistry.assumeInstalled();
        for (int i = 0; i < 3; i++) {
            registries.add(LocalRegistry.start(shared.resolve("registry-" + i)));
        }
        Path version = BuildScripts.versionDir(shared.resolve("artifacts/version"));
        Path tests = BuildScripts.testDir(shared.resolve("artifacts/test"));
        builtEnv = BuildScripts.localEnv(shared.resolve("storage"), shared.resolve("work"), version, tests);
        var build = BuildScripts.runScripts(shared, builtEnv, "fetch.sh", "build-image.sh");
        assertEquals(0, build.exitCode(), build.output());
    }

    @AfterAll
    static void stopRegistries() {
        registries.forEach(LocalRegistry::close);
    }

    /** The environment of the built image with a work directory and published artifacts of this test. */
    private Map<String, String> env(List<String> repos) throws Exception {
        Map<String, String> env = new HashMap<>(builtEnv);
        Path work = dir.resolve("work");
        BuildScripts.copyTree(Path.of(builtEnv.get("WORK_DIR")), work);
        Path artifacts = Files.createDirectories(dir.resolve("artifacts"));
        env.put("WORK_DIR", work.toString());
        env.put("ARTIFACT_DIR", artifacts.toString());
        env.put("IMAGE_TAGS", String.join(" ", TAGS));
        env.put("TARGET_ECR_REPOS", String.join(" ", repos));
        return env;
    }

    private JsonNode report() throws Exception {
        Path published = dir.resolve("artifacts/push-report-cpu.json");
        assertEquals(BuildScripts.read(dir.resolve("work/push-report-cpu.json")), BuildScripts.read(published));
        return new ObjectMapper().readTree(published.toFile());
    }

    @Test
    void pushesEveryTagToThreeRepositories_allHoldTheSameDigest_reportMatches() throws Exception {
        List<String> repos = new ArrayList<>();
        for (LocalRegistry registry : registries) {
            repos.add(registry.repository("team-" + registry.port() + "/sagemaker-distribution"));
        }
        var result = BuildScripts.run(
                dir,
                env(repos),
                List.of(BuildScripts.scriptsDir().resolve("push.sh").toString()));

        assertEquals(0, result.exitCode(), result.output());
        JsonNode report = report();
        assertEquals("cpu", report.get("imageType").asText());
        assertEquals(Set.copyOf(repos), fieldNames(report.get("repositories")));
        Set<String> digests = new HashSet<>();
        for (String repo : repos) {
            JsonNode entry = report.get("repositories").get(repo);
            assertEquals("pushed", entry.get("status").asText(), repo);
            assertTrue(entry.get("error") == null, repo + " has no error");
            assertEquals(Set.copyOf(TAGS), fieldNames(entry.get("tags")), repo);
            for (String tag : TAGS) {
                String remote = BuildScripts.remoteDigest(repo, tag);
                assertEquals(remote, entry.get("tags").get(tag).asText(), repo + ":" + tag);
                digests.add(remote);
            }
            assertTrue(result.output().contains("===== push to " + repo + " ====="), "its own log is printed");
        }
        assertEquals(1, digests.size(), "every tag in every repository has one manifest: " + digests);
        assertTrue(
                result.output()
                        .contains(
                                "all 3 repositories hold " + digests.iterator().next()),
                result.output());
    }

    @Test
    void oneRegistryDown_failsNamingIt_othersReportedPushed() throws Exception {
        LocalRegistry down = LocalRegistry.start(dir.resolve("registry-down"));
        String downRepo = down.repository("sagemaker-distribution");
        down.close();
        List<String> repos = List.of(
                registries.get(0).repository("down-test/sagemaker-distribution"),
                downRepo,
                registries.get(1).repository("down-test/sagemaker-distribution"));
        var result = BuildScripts.run(
                dir,
                env(repos),
                List.of(BuildScripts.scriptsDir().resolve("push.sh").toString()));

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(
                result.output().contains("push failed for 1 of 3 repositories: " + downRepo + "\n"), result.output());
        JsonNode report = report();
        JsonNode failed = report.get("repositories").get(downRepo);
        assertEquals("failed", failed.get("status").asText());
        assertTrue(failed.get("error").asText().contains(downRepo + ":4.4.1-cpu failed"), failed.toString());
        assertEquals(0, failed.get("tags").size(), failed.toString());
        for (String repo : List.of(repos.get(0), repos.get(2))) {
            JsonNode entry = report.get("repositories").get(repo);
            assertEquals("pushed", entry.get("status").asText(), repo);
            for (String tag : TAGS) {
                assertEquals(
                        BuildScripts.remoteDigest(repo, tag),
                        entry.get("tags").get(tag).asText(),
                        repo + ":" + tag);
            }
        }
    }

    @Test
    void registryThatNeverAnswers_timesOut_othersPushed() throws Exception {
        // accepts connections (kernel backlog) and never says a word
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String silentRepo = "127.0.0.1:" + blackHole.getLocalPort() + "/sagemaker-distribution";
            String localRepo = registries.get(0).repository("timeout-test/sagemaker-distribution");
            Map<String, String> env = env(List.of(silentRepo, localRepo));
            env.put("PUSH_TIMEOUT", "3");
            Instant start = Instant.now();
            var result = BuildScripts.run(
                    dir,
                    env,
                    List.of(BuildScripts.scriptsDir().resolve("push.sh").toString()));

            assertTrue(Duration.between(start, Instant.now()).toSeconds() < 60, "bounded by PUSH_TIMEOUT");
            assertNotEquals(0, result.exitCode(), result.output());
            JsonNode repos = report().get("repositories");
            assertEquals("failed", repos.get(silentRepo).get("status").asText());
            assertEquals(
                    "push of " + silentRepo + ":4.4.1-cpu timed out after 3s (PUSH_TIMEOUT)",
                    repos.get(silentRepo).get("error").asText());
            assertEquals("pushed", repos.get(localRepo).get("status").asText());
        }
    }

    @Test
    void ecrLoginFails_failsOnlyThatRegistrysRepository() throws Exception {
        // the aws CLI is pointed at a closed port: get-login-password fails without leaving the machine
        String ecrRepo = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-distribution";
        String localRepo = registries.get(2).repository("login-test/sagemaker-distribution");
        Map<String, String> env = env(List.of(ecrRepo, localRepo));
        LocalRegistry closed = LocalRegistry.start(dir.resolve("closed"));
        closed.close();
        env.put("AWS_ENDPOINT_URL", "http://" + closed.hostPort());
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_MAX_ATTEMPTS", "1");
        var result = BuildScripts.run(
                dir, env, List.of(BuildScripts.scriptsDir().resolve("push.sh").toString()));

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("push failed for 1 of 2 repositories: " + ecrRepo + "\n"), result.output());
        JsonNode repos = report().get("repositories");
        assertEquals("failed", repos.get(ecrRepo).get("status").asText());
        assertTrue(
                repos.get(ecrRepo)
                        .get("error")
                        .asText()
                        .startsWith("login to 123456789012.dkr.ecr.eu-west-1.amazonaws.com failed"),
                repos.toString());
        assertEquals("pushed", repos.get(localRepo).get("status").asText());
        assertEquals(
                BuildScripts.remoteDigest(localRepo, "4.4.1-cpu"),
                repos.get(localRepo).get("tags").get("4.4.1-cpu").asText());
    }

    @Test
    void noTargetRepositories_writesEmptyReport() throws Exception {
        var result = BuildScripts.run(
                dir,
                env(List.of()),
                List.of(BuildScripts.scriptsDir().resolve("push.sh").toString()));

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("TARGET_ECR_REPOS is empty: nothing to push"), result.output());
        assertEquals(0, report().get("repositories").size());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
