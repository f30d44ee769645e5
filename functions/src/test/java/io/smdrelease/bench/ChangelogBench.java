package io.smdrelease.bench;

import io.smdrelease.TestTrees;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.changelog.ChangelogGenerator;
import io.smdrelease.changelog.ReleaseDocuments;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.version.SemVer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times CHANGELOG-cpu.md, CHANGELOG-gpu.md and RELEASE.md of 4.4.1 (../shared/fixtures/changelog/4.4.1: four env.out
 * files of 913–950 lines and four env.in files) in one warm JVM: read and parse the eight env files, derive the
 * changesets, render, and (for "generate") write the three files. A plain main, not a unit test.
 *
 * <p>Usage: {@code java -cp … io.smdrelease.bench.ChangelogBench [sharedDir] [warmup] [iterations]}; the shared dir
 * defaults to the system property {@code shared.dir}, then {@code ../shared}.
 */
public final class ChangelogBench {
    private ChangelogBench() {}

    public static void main(String[] args) throws Exception {
        String shared = args.length > 0 ? args[0] : System.getProperty("shared.dir", "../shared");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Path input = Path.of(shared, "fixtures", "changelog", "4.4.1", "input");
        if (!Files.isDirectory(input)) {
            System.err.println("no fixture at " + input + ": pass the shared directory as the first argument");
            System.exit(2);
        }
        Path root = TestTrees.copy(input, Files.createTempDirectory("changelog-bench"));
        ChangelogGenerator generator = new ChangelogGenerator(new LocalDirStore(root), ImageConfigs.builtIn());
        SemVer target = SemVer.of(4, 4, 1);

        long sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += generator.generate(target).files().size();
        }
        double[] plan = new double[iterations];
        double[] generate = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            ReleaseDocuments docs = generator.plan(target);
            long t1 = System.nanoTime();
            sink += docs.files().size() + generator.generate(target).files().size();
            long t2 = System.nanoTime();
            plan[i] = (t1 - t0) / 1e6;
            generate[i] = (t2 - t1) / 1e6;
        }
        report("plan (read + parse 8 env files, changesets, render)", plan);
        report("generate (plan + write 3 files)", generate);
        System.out.println("(" + warmup + " warm-up, " + iterations + " measured iterations; checksum " + sink + ")");
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void report(String what, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.println(String.format(
                Locale.ROOT,
                "ChangelogBench 4.4.1 %s: median %.2f ms, p90 %.2f ms, min %.2f ms",
                what,
                sorted[sorted.length / 2],
                sorted[(int) (sorted.length * 0.9)],
                sorted[0]));
    }
}
