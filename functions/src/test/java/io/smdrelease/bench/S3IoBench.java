package io.smdrelease.bench;

import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.store.ArtifactFile;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.VersionPublication;
import io.smdrelease.testsupport.DelayProxy;
import io.smdrelease.testsupport.MiniStack;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Publishes a version the size of 4.4.1 (15 files of 1–60 KB) and reads it back, with the store's parallel I/O and
 * one request at a time, through a {@link DelayProxy} that gives every request/response exchange the latency of a
 * remote S3 (MiniStack answers in ~2 ms, one request at a time). Not a test: run by {@code bench/s3-io.sh}.
 *
 * <p>Arguments: {@code [exchangeLatencyMs=15] [iterations=15]}.
 */
public final class S3IoBench {
    /** Sizes in bytes of the 15 files, after a 4.4.1 version directory. */
    private static final Map<String, Integer> FILES = new LinkedHashMap<>();

    static {
        FILES.put("Dockerfile", 4_100);
        FILES.put("cpu.env.in", 1_300);
        FILES.put("gpu.env.in", 1_500);
        FILES.put("cpu.env.out", 48_000);
        FILES.put("gpu.env.out", 61_000);
        FILES.put("cpu.additional_packages_env.in", 1_000);
        FILES.put("gpu.additional_packages_env.in", 1_000);
        FILES.put("CHANGELOG-cpu.md", 9_000);
        FILES.put("CHANGELOG-gpu.md", 9_500);
        FILES.put("RELEASE.md", 14_000);
        FILES.put("source-version.txt", 1_000);
        FILES.put("dirs/etc/conda/.condarc", 1_100);
        FILES.put("dirs/etc/jupyter/jupyter_server_config.py", 2_400);
        FILES.put("dirs/usr/local/bin/entrypoint-jupyter-server", 1_800);
        FILES.put("dirs/usr/local/bin/start-jupyter-server", 1_600);
    }

    private S3IoBench() {}

    /** Counts HTTP requests and times the file-upload phase of a publish (first file PUT sent to last answered). */
    static final class Counter implements ExecutionInterceptor {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicLong firstFilePut = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong lastFilePutDone = new AtomicLong(Long.MIN_VALUE);

        void resetPhase() {
            firstFilePut.set(Long.MAX_VALUE);
            lastFilePutDone.set(Long.MIN_VALUE);
        }

        private static boolean isFilePut(Object request) {
            return request instanceof PutObjectRequest p
                    && !p.key().endsWith("/" + BucketStore.LOCK)
                    && !p.key().endsWith("/" + BucketStore.MANIFEST);
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            requests.incrementAndGet();
            if (isFilePut(context.request())) {
                firstFilePut.accumulateAndGet(System.nanoTime(), Math::min);
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (isFilePut(context.request())) {
                lastFilePutDone.accumulateAndGet(System.nanoTime(), Math::max);
            }
        }
    }

    record Sample(double publishMs, double uploadMs, double readMs, int publishRequests, int readRequests) {}

    public static void main(String[] args) throws Exception {
        int latencyMs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int warmup = 4;
        Random random = new Random(441);
        long totalBytes = FILES.values().stream().mapToLong(Integer::longValue).sum();
        System.out.printf(
                Locale.ROOT,
                "version: %d files, %.1f KB; exchange latency %d ms (%.1f ms each way);"
                        + " %d warm-up + %d measured iterations per mode, interleaved%n",
                FILES.size(),
                totalBytes / 1024.0,
                latencyMs,
                latencyMs / 2.0,
                warmup,
                iterations);

        Counter counter = new Counter();
        try (MiniStack ms = MiniStack.start();
                DelayProxy proxy = new DelayProxy(ms.port(), Duration.ofNanos(latencyMs * 1_000_000L / 2));
                S3Client s3 = MiniStack.s3Builder(proxy.endpoint(), counter).build();
                S3Client direct = MiniStack.s3Builder(ms.endpoint(), counter).build()) {
            direct.createBucket(b -> b.bucket("bench"));
            BucketStore parallel = S3Stores.open(s3, "bench", "root", Clock.systemUTC());
            BucketStore serial = parallel.withMaxConcurrency(1);
            BucketStore directParallel = S3Stores.open(direct, "bench", "direct", Clock.systemUTC());
            BucketStore directSerial = directParallel.withMaxConcurrency(1);

            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            int version = 0;
            for (int i = 0; i < warmup + iterations; i++) {
                for (var mode : List.of(
                        Map.entry("parallel", parallel),
                        Map.entry("one-at-a-time", serial),
                        Map.entry("parallel, no proxy", directParallel),
                        Map.entry("one-at-a-time, no proxy", directSerial))) {
                    Sample s = run(mode.getValue(), "build_artifacts/v4/v4.4/v4.4." + (++version), random, counter);
                    if (i >= warmup) {
                        samples.computeIfAbsent(mode.getKey(), k -> new ArrayList<>())
                                .add(s);
                    }
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-26s %14s %16s %14s %14s %10s%n",
                    "mode",
                    "publish ms",
                    "(its uploads) ms",
                    "read-back ms",
                    "total ms",
                    "requests");
            for (var e : samples.entrySet()) {
                List<Sample> l = e.getValue();
                System.out.printf(
                        Locale.ROOT,
                        "%-26s %14s %16s %14s %14s %5d+%-4d%n",
                        e.getKey(),
                        stats(l.stream().mapToDouble(Sample::publishMs).toArray()),
                        stats(l.stream().mapToDouble(Sample::uploadMs).toArray()),
                        stats(l.stream().mapToDouble(Sample::readMs).toArray()),
                        stats(l.stream()
                                .mapToDouble(s -> s.publishMs() + s.readMs())
                                .toArray()),
                        l.get(0).publishRequests(),
                        l.get(0).readRequests());
            }
            System.out.println("(median [min-max]; requests = publish + read-back HTTP requests)");
            double pub = median(samples.get("one-at-a-time").stream()
                            .mapToDouble(Sample::publishMs)
                            .toArray())
                    / median(samples.get("parallel").stream()
                            .mapToDouble(Sample::publishMs)
                            .toArray());
            double upload = median(samples.get("one-at-a-time").stream()
                            .mapToDouble(Sample::uploadMs)
                            .toArray())
                    / median(samples.get("parallel").stream()
                            .mapToDouble(Sample::uploadMs)
                            .toArray());
            double read = median(samples.get("one-at-a-time").stream()
                            .mapToDouble(Sample::readMs)
                            .toArray())
                    / median(samples.get("parallel").stream()
                            .mapToDouble(Sample::readMs)
                            .toArray());
            double total = median(samples.get("one-at-a-time").stream()
                            .mapToDouble(s -> s.publishMs() + s.readMs())
                            .toArray())
                    / median(samples.get("parallel").stream()
                            .mapToDouble(s -> s.publishMs() + s.readMs())
                            .toArray());
            System.out.printf(
                    Locale.ROOT,
                    "speed-up through the proxy (median one-at-a-time / median parallel):"
                            + " publish %.1fx (its 15 uploads %.1fx), read-back %.1fx, publish+read-back %.1fx%n",
                    pub,
                    upload,
                    read,
                    total);
        }
    }

    private static Sample run(BucketStore store, String dir, Random random, Counter counter) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        FILES.forEach((name, size) -> {
            byte[] b = new byte[size];
            random.nextBytes(b);
            files.put(dir + "/" + name, b);
        });
        int before = counter.requests.get();
        counter.resetPhase();
        long t0 = System.nanoTime();
        store.publish(new VersionPublication(
                dir,
                ArtifactFile.regularFiles(files),
                Map.of(),
                false,
                Set.of("cpu.additional_packages_env.in", "gpu.additional_packages_env.in"),
                "4.4.0"));
        long t1 = System.nanoTime();
        int mid = counter.requests.get();
        List<String> listed = store.listFiles(dir);
        Map<String, byte[]> read = store.readAll(listed);
        long t2 = System.nanoTime();
        int after = counter.requests.get();
        if (read.size() != files.size() || !store.isComplete(dir)) {
            throw new IllegalStateException("read back " + read.size() + " of " + files.size() + " files of " + dir);
        }
        for (var e : files.entrySet()) {
            if (!Arrays.equals(e.getValue(), read.get(e.getKey()))) {
                throw new IllegalStateException("read back different bytes for " + e.getKey());
            }
        }
        return new Sample(
                (t1 - t0) / 1e6,
                (counter.lastFilePutDone.get() - counter.firstFilePut.get()) / 1e6,
                (t2 - t1) / 1e6,
                mid - before,
                after - mid);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String stats(double[] v) {
        double min = Arrays.stream(v).min().orElse(0);
        double max = Arrays.stream(v).max().orElse(0);
        return String.format(Locale.ROOT, "%.0f [%.0f-%.0f]", median(v), min, max);
    }
}
