package io.smdrelease.buildspecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.RegistryProxy;
import io.smdrelease.testsupport.RegistryProxy.Fault;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * push.sh for real: the buildah-built stand-in image pushed once to a staging repository on a docker-registry
 * instance (directly, or through a {@link RegistryProxy} that injects 429s and 503s), the digest read back and
 * written to candidate-cpu.json; a release registry named in TARGET_ECR_REPOS stays untouched.
 */
class PushIT {
    private static final String TAG = BuildScripts.CANDIDATE_TAG;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static LocalRegistry staging;
    private static LocalRegistry release;
    private static Map<String, String> builtEnv;

    @BeforeAll
    static void buildImageAndStartRegistries() throws Exception {
        BuildScripts.requireBuildTools();
        LocalRegistry.assumeInstalled();
        staging = LocalRegistry.start(shared.resolve("staging"));
        release = LocalRegistry.start(shared.resolve("release"));
        Path version = BuildScripts.versionDir(shared.resolve("artifacts/version"));
        Path tests = BuildScripts.testDir(shared.resolve("artifacts/test"));
        builtEnv = BuildScripts.localEnv(shared.resolve("storage"), shared.resolve("work"), version, tests);
        var build = BuildScripts.runScripts(shared, builtEnv, "fetch.sh", "build-image.sh");
        assertEquals(0, build.exitCode(), build.output());
    }

    @AfterAll
    static void stopRegistries() {
        for (LocalRegistry r : new LocalRegistry[] {staging, release}) {
            if (r != null) {
                r.close();
            }
        }
    }

    /** The environment of the built image with a work directory and published artifacts of this test. */
    private Map<String, String> env(String stagingRepo) throws Exception {
        Map<String, String> env = new HashMap<>(builtEnv);
        Path work = dir.resolve("work");
        BuildScripts.copyTree(Path.of(builtEnv.get("WORK_DIR")), work);
        Path artifacts = Files.createDirectories(dir.resolve("artifacts"));
        env.put("WORK_DIR", work.toString());
        env.put("ARTIFACT_DIR", artifacts.toString());
        env.put("STAGING_REPO", stagingRepo);
        env.put("TARGET_ECR_REPOS", release.repository("sagemaker-distribution"));
        env.put("PUSH_RETRY_FIRST_WAIT", "1");
        return env;
    }

    private BuildScripts.Result push(Map<String, String> env) throws Exception {
        return BuildScripts.run(
                dir, env, List.of(BuildScripts.scriptsDir().resolve("push.sh").toString()));
    }

    private JsonNode candidate() throws Exception {
        Path published = dir.resolve("artifacts/candidate-cpu.json");
        assertEquals(BuildScripts.read(dir.resolve("work/candidate-cpu.json")), BuildScripts.read(published));
        return new ObjectMapper().readTree(published.toFile());
    }

    @Test
    void pushesOnceToTheStagingRepository_readsTheDigestBack_releaseRegistryUntouched() throws Exception {
        String repo = staging.repository("staging/sagemaker-distribution");
        Instant before = Instant.now().minusSeconds(1);
        var result = push(env(repo));

        assertEquals(0, result.exitCode(), result.output());
        JsonNode candidate = candidate();
        String digest = BuildScripts.remoteDigest(repo, TAG);
        assertEquals("cpu", candidate.get("imageType").asText());
        assertEquals(repo, candidate.get("repository").asText());
        assertEquals(TAG, candidate.get("tag").asText());
        assertEquals(digest, candidate.get("digest").asText());
        Instant pushedAt = Instant.parse(candidate.get("pushedAt").asText());
        assertTrue(!pushedAt.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), pushedAt.toString());
        assertEquals(5, candidate.size(), candidate.toString());
        assertEquals(List.of(TAG), BuildScripts.tags(repo), "one tag: the candidate's");
        assertEquals(List.of(), BuildScripts.catalog(release.hostPort()), "the build never writes a release repo");
        assertTrue(result.output().contains("read back " + repo + ":" + TAG + " = " + digest), result.output());
    }

    @Test
    void noStagingRepository_writesACandidateWithoutRepositoryOrDigest() throws Exception {
        var result = push(env(""));

        assertEquals(0, result.exitCode(), result.output());
        JsonNode candidate = candidate();
        assertTrue(candidate.get("repository").isNull());
        assertTrue(candidate.get("digest").isNull());
        assertTrue(candidate.get("pushedAt").isNull());
        assertEquals(TAG, candidate.get("tag").asText());
        assertTrue(candidate.get("note").asText().startsWith("STAGING_REPO was empty"), candidate.toString());
        assertEquals(List.of(), BuildScripts.catalog(release.hostPort()));
    }

    @Test
    void a429WithRetryAfterOnABlobUpload_isWaitedOutAndThePushSucceeds() throws Exception {
        try (RegistryProxy proxy = RegistryProxy.start(staging.port())) {
            // the registry throttles blob uploads 5 times (Retry-After 2 s): buildah tries 4 times 2 s apart and fails,
            // push.sh waits (1 s) and pushes again
            proxy.inject(Fault.times(5, r -> r.method().equals("PATCH"), 429, Map.of("Retry-After", "2")));
            String repo = proxy.repository("throttled/sagemaker-distribution");
            var result = push(env(repo));

            assertEquals(0, result.exitCode(), result.output());
            assertEquals(5, proxy.faulted().size(), proxy.requests().toString());
            assertTrue(result.output().contains("transient failure"), result.output());
            Duration waited = Duration.between(
                    proxy.faulted().get(3).at(), proxy.faulted().get(4).at());
            assertTrue(waited.compareTo(Duration.ofSeconds(1)) >= 0, "push.sh waited before pushing again: " + waited);
            assertEquals(
                    BuildScripts.remoteDigest(repo, TAG),
                    candidate().get("digest").asText());
        }
    }

    @Test
    void aRegistryThatKeepsAnswering429_failsWithinTheBoundNamingTheRepository() throws Exception {
        try (RegistryProxy proxy = RegistryProxy.start(staging.port())) {
            proxy.inject(Fault.always(r -> r.method().equals("PATCH"), 429, Map.of("Retry-After", "1")));
            String repo = proxy.repository("always-throttled/sagemaker-distribution");
            Map<String, String> env = env(repo);
            env.put("PUSH_ATTEMPTS", "2");
            Instant start = Instant.now();
            var result = push(env);

            assertTrue(Duration.between(start, Instant.now()).toSeconds() < 60, "bounded");
            assertNotEquals(0, result.exitCode(), result.output());
            assertTrue(
                    result.output()
                            .contains("push of localhost/sagemaker-distribution:" + BuildScripts.IMAGE_VERSION + " to "
                                    + repo + ":" + TAG + " failed after 2 attempt(s)"),
                    result.output());
            assertTrue(result.output().contains("toomanyrequests"), result.output());
            assertFalse(Files.exists(dir.resolve("artifacts/candidate-cpu.json")), "no candidate without a push");
        }
    }

    @Test
    void aFailedReadBack_isRetried() throws Exception {
        try (RegistryProxy proxy = RegistryProxy.start(staging.port())) {
            proxy.inject(
                    Fault.times(1, r -> r.method().equals("GET") && r.path().contains("/manifests/"), 503, Map.of()));
            String repo = proxy.repository("readback/sagemaker-distribution");
            var result = push(env(repo));

            assertEquals(0, result.exitCode(), result.output());
            assertEquals(1, proxy.faulted().size(), proxy.requests().toString());
            assertTrue(
                    result.output().contains("read-back of " + repo + ":" + TAG + ": transient failure"),
                    result.output());
            assertEquals(
                    BuildScripts.remoteDigest(repo, TAG),
                    candidate().get("digest").asText());
        }
    }

    @Test
    void aDeadRegistry_failsAfterTheAttemptsNamingIt() throws Exception {
        LocalRegistry dead = LocalRegistry.start(dir.resolve("dead"));
        dead.close();
        String repo = dead.repository("sagemaker-distribution");
        Map<String, String> env = env(repo);
        env.put("PUSH_ATTEMPTS", "2");
        var result = push(env);

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("to " + repo + ":" + TAG + " failed after 2 attempt(s)"), result.output());
        assertTrue(result.output().contains("connection refused"), result.output());
    }

    @Test
    void aRegistryThatNeverAnswers_timesOut() throws Exception {
        // accepts connections (kernel backlog) and never says a word
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String repo = "127.0.0.1:" + blackHole.getLocalPort() + "/sagemaker-distribution";
            Map<String, String> env = env(repo);
            env.put("PUSH_TIMEOUT", "3");
            env.put("PUSH_ATTEMPTS", "1");
            Instant start = Instant.now();
            var result = push(env);

            assertTrue(Duration.between(start, Instant.now()).toSeconds() < 60, "bounded by PUSH_TIMEOUT");
            assertNotEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains(repo + ":" + TAG + " failed after 1 attempt(s)"), result.output());
            assertTrue(result.output().contains("timed out after 3s"), result.output());
        }
    }

    @Test
    void ecrLoginFails_failsNamingTheRegistry() throws Exception {
        // the aws CLI is pointed at a closed port: get-login-password fails without leaving the machine
        String ecrRepo = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-distribution";
        Map<String, String> env = env(ecrRepo);
        LocalRegistry closed = LocalRegistry.start(dir.resolve("closed"));
        closed.close();
        env.put("AWS_ENDPOINT_URL", "http://" + closed.hostPort());
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_MAX_ATTEMPTS", "1");
        var result = push(env);

        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("login to the registry of " + ecrRepo + " failed"), result.output());
    }

    @Test
    void badInputs_failNamingTheVariable() throws Exception {
        Map<String, String> env = env(staging.repository("smd") + ":latest");
        var result = push(env);
        assertNotEquals(0, result.exitCode());
        assertTrue(
                result.output()
                        .contains("STAGING_REPO '" + staging.repository("smd") + ":latest' is not a"
                                + " repository URI host[:port]/path"),
                result.output());

        env = env(staging.repository("smd"));
        env.remove("CANDIDATE_TAG");
        result = push(env);
        assertNotEquals(0, result.exitCode());
        assertTrue(result.output().contains("missing environment variable(s): CANDIDATE_TAG"), result.output());
    }
}
