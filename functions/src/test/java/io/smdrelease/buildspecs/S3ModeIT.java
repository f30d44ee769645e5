package io.smdrelease.buildspecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.testsupport.LocalRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts in S3 mode (no ARTIFACT_DIR) against MiniStack's S3 on 127.0.0.1 through the aws CLI
 * ({@code AWS_ENDPOINT_URL}): a store prefix before build_artifacts/, the tests from {@code <root>test/}, env.out
 * and the push report uploaded next to the artifacts. MiniStack is started here directly; the ECR path through
 * MiniStack is not covered yet.
 */
class S3ModeIT {

  private static final String BUCKET = "smd-artifacts";
  private static final String PREFIX = "store/build_artifacts/v4/v4.4/v4.4.1";
  private static final Duration MINISTACK_START = Duration.ofSeconds(60);

  @TempDir static Path shared;
  @TempDir Path dir;

  private static Process ministack;
  private static Map<String, String> awsEnv;
  private static LocalRegistry registry;

  @BeforeAll
  static void startMiniStackAndRegistry() throws Exception {
    BuildScripts.requireBuildTools();
    LocalRegistry.requireTools("aws", "ministack", "docker-registry");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path log = shared.resolve("ministack.log");
    ProcessBuilder builder = new ProcessBuilder("ministack").redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("GATEWAY_PORT", String.valueOf(port));
    builder.environment().put("BIND_HOST", "127.0.0.1");
    builder.environment().put("TMPDIR", shared.toString());
    ministack = builder.start();
    awaitHealthy(port, log);
    awsEnv =
        Map.of(
            "AWS_ENDPOINT_URL", "http://127.0.0.1:" + port,
            "AWS_ACCESS_KEY_ID", "test",
            "AWS_SECRET_ACCESS_KEY", "test",
            "AWS_DEFAULT_REGION", "us-east-1",
            "AWS_REGION", "us-east-1");
    registry = LocalRegistry.start(shared.resolve("registry"));

    aws(shared, "s3", "mb", "s3://" + BUCKET);
    Path version = BuildScripts.versionDir(shared.resolve("upload/version"));
    Path tests = BuildScripts.testDir(shared.resolve("upload/test"));
    BuildImageIT.dropTest(tests, "jupyterlab-pinned");
    aws(shared, "s3", "cp", "--recursive", "--only-show-errors", version.toString(), "s3://" + BUCKET + "/" + PREFIX + "/");
    aws(shared, "s3", "cp", "--recursive", "--only-show-errors", tests.toString(), "s3://" + BUCKET + "/store/test/");
    // a sibling version whose name starts like ours: must not be fetched
    Files.writeString(shared.resolve("decoy.txt"), "v4.4.10\n");
    aws(shared, "s3", "cp", shared.resolve("decoy.txt").toString(),
        "s3://" + BUCKET + "/store/build_artifacts/v4/v4.4/v4.4.10/decoy.txt");
  }

  private static void awaitHealthy(int port, Path log) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/_ministack/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    Instant deadline = Instant.now().plus(MINISTACK_START);
    String last = "no answer yet";
    while (Instant.now().isBefore(deadline)) {
      if (!ministack.isAlive()) {
        throw new IllegalStateException("ministack exited with %d; its log:%n%s"
            .formatted(ministack.exitValue(), Files.readString(log)));
      }
      try {
        HttpResponse<String> response = client.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = "health answered " + response.statusCode();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("ministack on 127.0.0.1:%d not healthy within %s (last: %s); its log:%n%s"
        .formatted(port, MINISTACK_START, last, Files.readString(log)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (ministack != null && ministack.isAlive()) {
      ministack.destroy();
      if (!ministack.waitFor(15, TimeUnit.SECONDS)) {
        ministack.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
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
  void s3Mode_fetchesVersionAndTests_uploadsEnvOutAndPushReport() throws Exception {
    Map<String, String> env = new HashMap<>(awsEnv);
    env.putAll(BuildScripts.localEnv(shared.resolve("storage"), dir.resolve("work"), dir, dir));
    env.remove("ARTIFACT_DIR");
    env.remove("TEST_DIR");
    env.put("ARTIFACT_BUCKET", BUCKET);
    env.put("ARTIFACT_PREFIX", PREFIX);
    String repo = registry.repository("s3-mode/sagemaker-distribution");
    env.put("TARGET_ECR_REPOS", repo);
    var result =
        BuildScripts.runScripts(
            dir, env, "fetch.sh", "build-image.sh", "export-env.sh", "run-tests.sh", "push.sh");

    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("synced s3://" + BUCKET + "/store/test/"), result.output());
    assertTrue(result.output().matches("(?s).*python-runs +passed.*"), result.output());
    assertFalse(Files.exists(dir.resolve("work/version/decoy.txt")), "v4.4.10 was not fetched");
    assertTrue(Files.exists(dir.resolve("work/version/Dockerfile")));

    byte[] expected = Files.readAllBytes(BuildScripts.resources().resolve("expected/cpu.env.out"));
    assertArrayEquals(expected, s3Object(PREFIX + "/cpu.env.out"));
    JsonNode report = new ObjectMapper().readTree(s3Object(PREFIX + "/push-report-cpu.json"));
    JsonNode entry = report.get("repositories").get(repo);
    assertEquals("pushed", entry.get("status").asText());
    assertEquals(BuildScripts.remoteDigest(repo, "latest-cpu"), entry.get("tags").get("latest-cpu").asText());
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
    assertTrue(result.output().contains("ARTIFACT_PREFIX 'store/v4.4.1' does not contain build_artifacts/"),
        result.output());
  }
}
