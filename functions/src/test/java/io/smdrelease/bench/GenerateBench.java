package io.smdrelease.bench;

import io.smdrelease.artifacts.ArtifactGenerator;
import io.smdrelease.artifacts.CreateRequest;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.version.ReleaseType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * In-process time of create-patch-version-artifacts 4.4.0 → 4.4.1 (../shared/fixtures), warm: the whole create
 * (read, generate, publish to a local tree with --force) and the plan alone (no write). Run by bench/run.sh.
 */
public final class GenerateBench {
    public static void main(String[] args) throws Exception {
        Path fixture = Path.of(args.length > 0 ? args[0] : "../shared/fixtures/generate/patch-4.4.0-to-4.4.1/input");
        Path root = Files.createTempDirectory("generate-bench");
        Trees.copy(fixture, root);
        ArtifactGenerator generator = new ArtifactGenerator(new LocalDirStore(root), ImageConfigs.builtIn());
        CreateRequest request = new CreateRequest(ReleaseType.PATCH, "4.4.0", null, true);
        report("create (read + generate + publish)", () -> generator.create(request));
        report("plan (read + generate, no write)", () -> generator.plan(request));
    }

    static void report(String name, Runnable work) {
        for (int i = 0; i < 300; i++) {
            work.run();
        }
        long[] nanos = new long[200];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            work.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf(
                "%-40s median %6.2f ms   p90 %6.2f ms   (200 warm runs)%n", name, nanos[100] / 1e6, nanos[180] / 1e6);
    }
}
