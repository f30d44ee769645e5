package io.smdrelease.bench;

import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.gates.VariantGate;
import io.smdrelease.sbom.SbomGenerator;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.version.SemVer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * In-process warm time of the variant gate and the SBOM on the real 4.4.0 gpu lock (../shared/fixtures/locks/4.4.0,
 * 946 lines): the pure functions on the env.out bytes, and the store paths the CLI and the pipeline take (read the
 * env.out from a local checkout; for the SBOM also serialize and write it). Goal: ≤ 50 ms each. A plain main, not a
 * unit test; run by bench/run.sh.
 *
 * <p>Usage: {@code java -cp … io.smdrelease.bench.BuiltImageBench [locksDir] [warmup] [iterations]}.
 */
public final class BuiltImageBench {
    private BuiltImageBench() {}

    public static void main(String[] args) throws Exception {
        Path locks = Path.of(args.length > 0 ? args[0] : "../shared/fixtures/locks/4.4.0");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        if (!Files.isRegularFile(locks.resolve("gpu.env.out"))) {
            System.err.println("no gpu.env.out in " + locks + ": pass ../shared/fixtures/locks/4.4.0");
            System.exit(2);
        }
        byte[] envOut = Files.readAllBytes(locks.resolve("gpu.env.out"));
        ImageConfigs configs = ImageConfigs.builtIn();
        ImageConfig gpu = configs.forType(4, "gpu");
        SemVer version = SemVer.of(4, 4, 0);
        String digest = "sha256:" + "0123456789abcdef".repeat(4);
        Instant now = Instant.now();

        Path root = Files.createTempDirectory("built-image-bench");
        Path dir = Files.createDirectories(root.resolve("build_artifacts/v4/v4.4/v4.4.0"));
        Files.write(dir.resolve("gpu.env.out"), envOut);
        LocalDirStore store = new LocalDirStore(root);
        Clock clock = Clock.systemUTC();

        long lines = new String(envOut, java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.startsWith("https://"))
                .count();
        System.out.println("gpu.env.out of 4.4.0: " + lines + " packages, " + envOut.length + " bytes");
        int sbomBytes = SbomGenerator.toJson(envOut, gpu, version, digest, now).length;
        System.out.println("SBOM: " + sbomBytes + " bytes");

        report(
                "variant gate (env.out bytes -> report)",
                warmup,
                iterations,
                () -> VariantGate.check(envOut, gpu).findings().size());
        report(
                "variant gate (read from checkout + check)",
                warmup,
                iterations,
                () -> VariantGate.check(store, configs, "4.4.0", "gpu").packages());
        report(
                "SBOM (env.out bytes -> CycloneDX JSON)",
                warmup,
                iterations,
                () -> SbomGenerator.toJson(envOut, gpu, version, digest, now).length);
        report(
                "SBOM (read + generate + write to checkout)",
                warmup,
                iterations,
                () -> SbomGenerator.write(store, configs, "4.4.0", "gpu", digest, clock)
                        .components());

        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private interface Work {
        int run() throws Exception;
    }

    private static void report(String what, int warmup, int iterations, Work work) throws Exception {
        long sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += work.run();
        }
        double[] millis = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            sink += work.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.println(String.format(
                Locale.ROOT,
                "BuiltImageBench %-44s median %6.2f ms, p90 %6.2f ms, min %6.2f ms (%d warm-up, %d runs; %d)",
                what,
                millis[iterations / 2],
                millis[(int) (iterations * 0.9)],
                millis[0],
                warmup,
                iterations,
                sink));
    }
}
