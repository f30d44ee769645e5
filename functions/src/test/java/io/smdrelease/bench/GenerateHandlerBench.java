package io.smdrelease.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.lambda.GenerateHandler;
import io.smdrelease.lambda.PipelineSettings;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.store.TreeTransfer;
import io.smdrelease.testsupport.DelayProxy;
import io.smdrelease.testsupport.MiniStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Generate 4.4.0 → 4.4.1 through the Lambda handler on MiniStack's S3: a warm invocation, a fresh JVM (class loading,
 * client start-up and one invocation), and the handler's parallel object I/O against one request at a time behind a
 * proxy that adds S3-like latency (MiniStack answers in ~2 ms, one request at a time). Not a test: run by bench/run.sh.
 *
 * <p>Arguments: {@code [fixture input dir] [exchangeLatencyMs=15]}.
 */
public final class GenerateHandlerBench {
    private static final Map<String, String> PROJECTS = Map.of("CPU_BUILD_PROJECT", "cpu", "GPU_BUILD_PROJECT", "gpu");
    private static final String INPUT = "{\"input\":{\"releaseType\":\"patch\",\"basePatchVersion\":\"4.4.0\","
            + "\"force\":true},\"execution\":{\"id\":\"arn:aws:states:us-east-1:1:execution:m:bench\",\"name\":\"bench\"}}";

    public static void main(String[] args) throws Exception {
        Path fixture = Path.of(args.length > 0 ? args[0] : "../shared/fixtures/generate/patch-4.4.0-to-4.4.1/input");
        long latencyMs = args.length > 1 ? Long.parseLong(args[1]) : 15;
        try (MiniStack ms = MiniStack.start();
                S3Client s3 = MiniStack.s3Builder(ms.endpoint()).build()) {
            s3.createBucket(b -> b.bucket("bench"));
            BucketStore store = S3Stores.open(s3, "bench", "", Clock.systemUTC());
            TreeTransfer.pushTree(new LocalDirStore(fixture), store);
            GenerateHandler handler =
                    new GenerateHandler(new PipelineSettings("bench", "", null, PROJECTS), store, Clock.systemUTC());
            System.out.printf(
                    "warm invocation on MiniStack:      median %6.1f ms (goal <= 150 ms)%n",
                    median(40, 30, () -> invoke(handler)));

            List<Long> cold = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                cold.add(freshJvm(ms));
            }
            cold.sort(null);
            System.out.printf(
                    "fresh JVM incl. client start-up:   median %6d ms (5 runs; goal <= 1500 ms)%n", cold.get(2));

            try (DelayProxy proxy = new DelayProxy(ms.port(), Duration.ofNanos(latencyMs * 1_000_000L / 2));
                    S3Client remote = MiniStack.s3Builder(proxy.endpoint()).build()) {
                BucketStore parallel = S3Stores.open(remote, "bench", "", Clock.systemUTC());
                GenerateHandler parallelHandler = new GenerateHandler(
                        new PipelineSettings("bench", "", null, PROJECTS), parallel, Clock.systemUTC());
                GenerateHandler serialHandler = new GenerateHandler(
                        new PipelineSettings("bench", "", null, PROJECTS),
                        parallel.withMaxConcurrency(1),
                        Clock.systemUTC());
                double p = median(5, 15, () -> invoke(parallelHandler));
                double s = median(5, 15, () -> invoke(serialHandler));
                System.out.printf(
                        "with %d ms per exchange: parallel %6.1f ms, one at a time %6.1f ms: %.1fx%n",
                        latencyMs, p, s, s / p);
            }
        }
    }

    static void invoke(GenerateHandler handler) {
        try {
            handler.handleRequest(
                    new ByteArrayInputStream(INPUT.getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(),
                    null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static double median(int warmups, int runs, Runnable work) {
        for (int i = 0; i < warmups; i++) {
            work.run();
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[runs / 2] / 1e6;
    }

    /** Wall time of a new JVM that creates the handler as Lambda does (from the environment) and invokes it once. */
    static long freshJvm(MiniStack ms) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Cold.class.getName())
                .redirectErrorStream(true);
        pb.environment()
                .putAll(Map.of(
                        "AWS_ENDPOINT_URL",
                        ms.endpoint().toString(),
                        "AWS_REGION",
                        ms.region().id(),
                        "AWS_ACCESS_KEY_ID",
                        MiniStack.ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY",
                        MiniStack.SECRET_KEY,
                        "ARTIFACT_BUCKET",
                        "bench",
                        "CPU_BUILD_PROJECT",
                        "cpu",
                        "GPU_BUILD_PROJECT",
                        "gpu"));
        long start = System.nanoTime();
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("cold run failed: " + output);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** One cold invocation, the way the Lambda runtime creates the handler. */
    public static final class Cold {
        public static void main(String[] args) throws Exception {
            GenerateHandler handler = new GenerateHandler();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(INPUT.getBytes(StandardCharsets.UTF_8)), out, null);
            new ObjectMapper().readTree(out.toByteArray()).get("targetVersion").asText();
            System.exit(0);
        }
    }
}
