package io.smdrelease.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway Docker registry ({@code docker-registry}, Debian's distribution/registry 2.x) on a free port of
 * 127.0.0.1, storing its blobs under a directory of the test. Plain http: clients must skip TLS
 * ({@code --tls-verify=false}). Use with try-with-resources or close it in an {@code @AfterAll}.
 *
 * <pre>{@code
 * LocalRegistry.assumeInstalled();
 * try (LocalRegistry registry = LocalRegistry.start(tempDir.resolve("reg1"))) {
 *   String repo = registry.repository("sagemaker-distribution"); // 127.0.0.1:PORT/sagemaker-distribution
 * }
 * }</pre>
 */
public final class LocalRegistry implements AutoCloseable {

    /** How long {@link #start} waits for {@code GET /v2/} to answer 200. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private static final String BINARY = "docker-registry";

    private final Path dir;
    private final int port;
    private final Process process;
    private final Path log;

    private LocalRegistry(Path dir, int port, Process process, Path log) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Skips the calling test when {@code docker-registry} is not installed, or fails it when {@code CI=true}.
     */
    public static void assumeInstalled() {
        requireTools(BINARY);
    }

    /**
     * Skips the calling test (with a message naming the missing tools and how to install them) when any of the
     * commands is not on the PATH; with {@code CI=true} a missing tool fails the test instead.
     */
    public static void requireTools(String... commands) {
        StringBuilder missing = new StringBuilder();
        for (String command : commands) {
            if (findOnPath(command) == null) {
                missing.append(missing.isEmpty() ? "" : ", ").append(command);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "missing tool(s): " + missing + " (install them with scripts/install-test-tools.sh)";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(message + "; CI=true, so this is a failure, not a skip");
        }
        Assumptions.abort(message);
    }

    /** Finds an executable on the PATH, or null. */
    public static Path findOnPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Starts a registry storing its data under {@code dir} (created) and waits until it answers, at most
     * {@link #START_TIMEOUT}; fails with the registry's log otherwise.
     */
    public static LocalRegistry start(Path dir) throws IOException, InterruptedException {
        return start(dir, "");
    }

    /**
     * A registry that asks for Basic auth ({@code WWW-Authenticate: Basic}) and accepts {@code user}/{@code password}
     * only. The htpasswd entry (bcrypt) is made with Python's {@code crypt} module; the test is skipped (failed with
     * {@code CI=true}) when that cannot be done.
     */
    public static LocalRegistry startWithBasicAuth(Path dir, String user, String password)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path htpasswd = dir.resolve("htpasswd");
        Process p = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import crypt,sys; print(sys.argv[1] + ':' + crypt.crypt(sys.argv[2],"
                                + " crypt.mksalt(crypt.METHOD_BLOWFISH)))",
                        user,
                        password)
                .redirectOutput(htpasswd.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || Files.size(htpasswd) == 0) {
            String message = "cannot make a bcrypt htpasswd entry (python3 with the crypt module)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return start(dir, "auth:\n  htpasswd:\n    realm: smd-test\n    path: " + htpasswd.toAbsolutePath() + "\n");
    }

    private static LocalRegistry start(Path dir, String authConfig) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        // The port is free now; another process could take it before the registry binds it, in which case the
        // registry exits and start() fails with its log, naming the port.
        int port = freePort();
        Path config = dir.resolve("config.yml");
        Files.writeString(
                config, """
        version: 0.1
        log:
          level: info
        storage:
          filesystem:
            rootdirectory: %s
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:%d
        %s""".formatted(dir.resolve("data").toAbsolutePath(), port, authConfig), StandardCharsets.UTF_8);
        Path log = dir.resolve("registry.log");
        Process process = new ProcessBuilder(BINARY, "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalRegistry registry = new LocalRegistry(dir, port, process, log);
        try {
            registry.awaitReady(START_TIMEOUT);
        } catch (RuntimeException | InterruptedException | IOException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort() + "/v2/"))
                .timeout(Duration.ofSeconds(2))
                .build();
        Instant deadline = Instant.now().plus(timeout);
        String lastProblem = "no answer yet";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "docker-registry on 127.0.0.1:%d exited with %d before answering; its log:%n%s"
                                .formatted(port, process.exitValue(), readLog()));
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 || response.statusCode() == 401) {
                    return; // 401: up, and asking for credentials
                }
                lastProblem = "GET /v2/ answered " + response.statusCode();
            } catch (IOException e) {
                lastProblem = e.toString();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(
                "docker-registry on 127.0.0.1:%d did not answer GET /v2/ with 200 within %s (last: %s); its log:%n%s"
                        .formatted(port, timeout, lastProblem, readLog()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code 127.0.0.1:PORT}. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The URI of a repository in this registry: {@code 127.0.0.1:PORT/name}. */
    public String repository(String name) {
        return hostPort() + "/" + name;
    }

    /** The directory holding the config, the log and the data. */
    public Path dir() {
        return dir;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** The registry's log so far. */
    public String readLog() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the registry (SIGTERM, then SIGKILL after 10 s); the data stays. Idempotent. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
