package io.smdrelease.testsupport;

import io.smdrelease.aws.s3.S3Clients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A MiniStack AWS emulator (PyPI {@code ministack}, MIT) in a child process on a free 127.0.0.1 port, for tests.
 *
 * <p>The emulator is installed on first use into the project-local virtualenv {@code <repo>/.venv} (system property
 * {@code repo.dir}, set by surefire and failsafe; git-ignored) with {@code pip install ministack==}{@link #VERSION}.
 * When it cannot be installed or started, the test is skipped with the reason, except under {@code CI=true}, where
 * it fails.
 *
 * <p>It is run as {@code <venv>/bin/python -m ministack} (the console script {@code ministack} is the same entry
 * point, {@code ministack.app:main}) with {@code BIND_HOST=127.0.0.1}, {@code GATEWAY_PORT=<port>}, its own
 * {@code TMPDIR} (its pid file {@code ministack-<port>.pid} goes there), persistence off, and the caller's extra
 * environment (e.g. {@code SFN_MOCK_CONFIG}, {@code MINISTACK_LAMBDA_PROXY_<fn>}). Ready when
 * {@code GET /_ministack/health} answers 200. Every AWS service answers on the one endpoint; credentials are not
 * checked ({@code AUTH} is off) but must be present for SigV4; S3 needs path-style addressing.
 *
 * <pre>{@code
 * try (MiniStack ms = MiniStack.start(Map.of())) { S3Client s3 = ms.s3(); ... }
 * }</pre>
 */
public final class MiniStack implements AutoCloseable {
    public static final String VERSION = "1.5.33";
    /**
     * Installed with it: its Signer signs with the key ACM holds only when {@code cryptography} is importable (else it
     * writes a receipt), and the signature ITs check envelopes with it.
     */
    public static final String CRYPTOGRAPHY_VERSION = "50.0.2";

    public static final Region REGION = Region.US_EAST_1;
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test";
    /** The account id MiniStack puts into ARNs (env {@code MINISTACK_ACCOUNT_ID}). */
    public static final String ACCOUNT_ID = "000000000000";

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final Path workDir;
    private final Path log;
    private final Thread shutdownHook;

    private MiniStack(Process process, int port, Path workDir, Path log) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
        this.log = log;
        this.shutdownHook = new Thread(this::destroyTree, "ministack-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts an emulator with no extra environment. */
    public static MiniStack start() {
        return start(Map.of());
    }

    /**
     * Installs (once) and starts an emulator, waiting until it is healthy.
     *
     * @param extraEnv added to the emulator's environment (may override the defaults, except the bind address)
     */
    public static MiniStack start(Map<String, String> extraEnv) {
        Path python = ensureInstalled();
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = freePort();
            try {
                return launch(python, port, extraEnv);
            } catch (PortTakenException e) {
                last = e; // the free port was taken between probing and binding: try another
            }
        }
        throw last;
    }

    private static MiniStack launch(Path python, int port, Map<String, String> extraEnv) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("ministack-" + port + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path log = workDir.resolve("ministack.log");
        ProcessBuilder pb = new ProcessBuilder(python.toString(), "-m", "ministack");
        Map<String, String> env = pb.environment();
        env.put("TMPDIR", workDir.toString());
        env.put("S3_PERSIST", "0");
        env.put("PERSIST_STATE", "0");
        env.put("STATE_DIR", workDir.resolve("state").toString());
        env.put("S3_DATA_DIR", workDir.resolve("s3").toString());
        env.put("MINISTACK_REGION", REGION.id());
        env.put("PYTHONUNBUFFERED", "1");
        env.putAll(extraEnv);
        env.put("BIND_HOST", "127.0.0.1");
        env.put("GATEWAY_PORT", Integer.toString(port));
        pb.directory(workDir.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw unavailable("cannot start " + python + " -m ministack: " + e.getMessage(), e);
        }
        MiniStack ms = new MiniStack(process, port, workDir, log);
        try {
            ms.awaitHealthy();
            return ms;
        } catch (RuntimeException | Error e) {
            ms.close();
            throw e;
        }
    }

    private void awaitHealthy() {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(endpoint().resolve("/_ministack/health"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String tail = logTail(40);
                if (tail.contains("already in use")) {
                    throw new PortTakenException("port " + port + " taken:\n" + tail);
                }
                throw new IllegalStateException("MiniStack exited with status " + process.exitValue()
                        + " before it was healthy on " + endpoint() + "; log tail:\n" + tail);
            }
            try {
                HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for MiniStack", e);
            }
            sleep(100);
        }
        throw new IllegalStateException("MiniStack was not healthy on " + endpoint() + "/_ministack/health within "
                + START_TIMEOUT.toSeconds() + " s; log tail:\n" + logTail(40));
    }

    /** {@code http://127.0.0.1:<port>}: every service's endpoint. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public Region region() {
        return REGION;
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    /**
     * {@code builder} pointed at this emulator: its endpoint and region, the test credentials, the URL-connection HTTP
     * client (as the functions use). Build it, and close the client when done.
     */
    public <
                    B extends
                            software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, ?>
                                    & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, ?>>
            B client(B builder) {
        builder.endpointOverride(endpoint()).region(region()).credentialsProvider(credentials());
        builder.httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder());
        return builder;
    }

    /**
     * Registry logins as the functions make them: ECR tokens from this emulator's GetAuthorizationToken (through
     * {@code ecr}) for its registry API reached at {@code hostPort} (its own port, or a proxy in front of it).
     */
    public io.smdrelease.aws.ecr.EcrRegistryCredentials registryCredentials(
            software.amazon.awssdk.services.ecr.EcrClient ecr, String hostPort) {
        return new io.smdrelease.aws.ecr.EcrRegistryCredentials(
                region -> ecr,
                io.smdrelease.aws.ecr.EcrRegistryCredentials.parseHosts(hostPort + "=" + region().id()),
                java.time.Clock.systemUTC());
    }

    /** A new S3 client for this emulator (path-style, test credentials, us-east-1). Close it when done. */
    public S3Client s3() {
        return s3(endpoint());
    }

    /** A new S3 client for any MiniStack-compatible endpoint (e.g. a {@link DelayProxy} in front of one). */
    public static S3Client s3(URI endpoint) {
        return s3Builder(endpoint).build();
    }

    /**
     * The production client configuration ({@link S3Clients#builder}) pointed at {@code endpoint}, with the
     * test's interceptors. Do not call {@code overrideConfiguration} on it: that replaces the store's interceptor.
     */
    public static S3ClientBuilder s3Builder(URI endpoint, ExecutionInterceptor... extraInterceptors) {
        return S3Clients.builder(extraInterceptors)
                .endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(credentials())
                .forcePathStyle(true);
    }

    /** Wipes all emulator state ({@code POST /_ministack/reset}). */
    public void reset() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(endpoint().resolve("/_ministack/reset"))
                                    .timeout(Duration.ofSeconds(30))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("MiniStack reset answered " + r.statusCode() + ": " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("MiniStack reset failed; log tail:\n" + logTail(20), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last {@code lines} lines of the emulator's combined stdout/stderr. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Path logFile() {
        return log;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the emulator and its child processes. */
    @Override
    public void close() {
        destroyTree();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down
        }
        deleteQuietly(workDir);
    }

    private void destroyTree() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    // ---- installation ----

    /** The repository root: system property {@code repo.dir}, else the current directory's parent if it is functions/. */
    public static Path repoDir() {
        String prop = System.getProperty("repo.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path cwd = Path.of("").toAbsolutePath();
        return Files.exists(cwd.resolve("pom.xml"))
                        && cwd.getFileName().toString().equals("functions")
                ? cwd.getParent()
                : cwd;
    }

    /**
     * Makes sure {@code <repo>/.venv} holds ministack {@link #VERSION} and returns its python. Serialised between JVMs
     * by a file lock. Skips the calling test (fails under {@code CI=true}) when it cannot.
     */
    public static synchronized Path ensureInstalled() {
        Path venv = repoDir().resolve(".venv");
        Path python = venv.resolve("bin/python");
        Path lockFile = Path.of(
                System.getProperty("java.io.tmpdir"),
                "smd-ministack-install-" + Integer.toHexString(venv.toString().hashCode()) + ".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = ch.lock()) {
            if (Files.isExecutable(python)
                    && VERSION.equals(installedVersion(python, "ministack"))
                    && CRYPTOGRAPHY_VERSION.equals(installedVersion(python, "cryptography"))) {
                return python;
            }
            if (!Files.isExecutable(python)) {
                run(List.of(pythonOnPath(), "-m", "venv", venv.toString()), "create " + venv);
            }
            run(
                    List.of(
                            python.toString(),
                            "-m",
                            "pip",
                            "install",
                            "--disable-pip-version-check",
                            "--quiet",
                            "ministack==" + VERSION,
                            "cryptography==" + CRYPTOGRAPHY_VERSION),
                    "pip install ministack==" + VERSION + " cryptography==" + CRYPTOGRAPHY_VERSION + " into " + venv);
            String got = installedVersion(python, "ministack");
            if (!VERSION.equals(got)) {
                throw unavailable("after pip install, " + venv + " has ministack " + got + ", not " + VERSION, null);
            }
            return python;
        } catch (IOException e) {
            throw unavailable("cannot install ministack into " + venv + ": " + e.getMessage(), e);
        }
    }

    private static String installedVersion(Path python, String distribution) {
        try {
            Process p = new ProcessBuilder(
                            python.toString(),
                            "-c",
                            "import importlib.metadata as m; print(m.version('" + distribution + "'))")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String pythonOnPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            for (String name : List.of("python3", "python")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        throw unavailable("no python3 on PATH to create the ministack virtualenv", null);
    }

    private static void run(List<String> command, String what) {
        try {
            Path out = Files.createTempFile("ministack-install-", ".log");
            try {
                Process p = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
                if (!p.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw unavailable(what + " did not finish within " + INSTALL_TIMEOUT.toMinutes() + " min", null);
                }
                if (p.exitValue() != 0) {
                    throw unavailable(what + " failed (status " + p.exitValue() + "):\n" + Files.readString(out), null);
                }
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw unavailable(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what + " interrupted", e);
        }
    }

    /**
     * The emulator is unavailable: under {@code CI=true} an error, otherwise a JUnit assumption failure that skips
     * the test with {@code reason}.
     */
    private static RuntimeException unavailable(String reason, Throwable cause) {
        String message = "MiniStack " + VERSION + " unavailable: " + reason;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return new IllegalStateException(message + " (CI=true: failing instead of skipping)", cause);
        }
        Assumptions.abort(message + " (skipping; set CI=true to fail instead)");
        throw new AssertionError("unreachable");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> paths =
                    new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
