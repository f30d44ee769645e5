package io.smdrelease.bench;

import io.smdrelease.oci.OciRegistryClient;
import io.smdrelease.oci.RegistryCredentials;
import io.smdrelease.oci.RetryPolicy;
import io.smdrelease.registry.CopyResult;
import io.smdrelease.testsupport.LocalRegistry;
import io.smdrelease.testsupport.RegistryProxy;
import io.smdrelease.testsupport.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Promotion of 2 image types (cpu, gpu: a shared base layer and their own layers, ~{@code sizeMb} MB each) from a
 * staging repository to 3 release repositories: one on the staging registry (blobs mounted), two on other registries
 * reached through a counting {@link RegistryProxy} (blobs streamed). Version tags first (the repositories in
 * parallel), then the moving aliases; then the whole promotion again (every tag skipped). Prints wall time, blobs and
 * bytes per phase. Not a test: run by {@code bench/run.sh}, needs docker-registry and skopeo.
 *
 * <p>Arguments: {@code [sizeMb=30] [rounds=3]}.
 */
public final class PromoteBench {
    private static final List<String> TYPES = List.of("cpu", "gpu");

    private PromoteBench() {}

    public static void main(String[] args) throws Exception {
        int sizeMb = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("promote-bench-");
        int mb = 1024 * 1024;
        // a shared base of half the size, then the type's own layers
        int[] sizes = {sizeMb * mb / 2, sizeMb * mb / 4, sizeMb * mb / 8, sizeMb * mb / 8};
        System.out.printf(
                Locale.ROOT,
                "2 types of %d MB (a shared %d MB base), 3 release repositories, %d rounds%n",
                sizeMb,
                sizeMb / 2,
                rounds);
        System.out.printf(
                Locale.ROOT,
                "%-6s %-14s %8s %6s %7s %8s %6s %12s %12s%n",
                "round",
                "phase",
                "wall_ms",
                "tags",
                "skipped",
                "mounted",
                "blobs",
                "bytes",
                "proxy_bytes");
        for (int round = 1; round <= rounds; round++) {
            Path roundDir = dir.resolve("round-" + round);
            try (LocalRegistry staging = LocalRegistry.start(roundDir.resolve("staging"));
                    LocalRegistry otherA = LocalRegistry.start(roundDir.resolve("a"));
                    LocalRegistry otherB = LocalRegistry.start(roundDir.resolve("b"));
                    RegistryProxy proxyA = RegistryProxy.start(otherA.port());
                    RegistryProxy proxyB = RegistryProxy.start(otherB.port())) {
                String stagingRepo = staging.repository("staging/sagemaker-distribution");
                Map<String, String> digests = new java.util.LinkedHashMap<>();
                for (int t = 0; t < TYPES.size(); t++) {
                    String type = TYPES.get(t);
                    long[] seeds = {1, 10 + t, 20 + t, 30 + t};
                    TestImages.Image image = TestImages.writeImage(roundDir.resolve("layout"), type, seeds, sizes);
                    TestImages.push(image, stagingRepo, "candidate-4.4.1-" + type);
                    digests.put(type, image.digest());
                }
                List<String> targets = List.of(
                        staging.repository("sagemaker-distribution"),
                        proxyA.repository("sagemaker-distribution"),
                        proxyB.repository("team/sagemaker-distribution"));
                OciRegistryClient client = new OciRegistryClient(RegistryCredentials.ANONYMOUS, RetryPolicy.DEFAULT);
                List<RegistryProxy> proxies = List.of(proxyA, proxyB);
                phase(round, "version tags", client, stagingRepo, digests, targets, List.of("4.4.1-"), proxies);
                phase(
                        round,
                        "aliases",
                        client,
                        stagingRepo,
                        digests,
                        targets,
                        List.of("4.4-", "4-", "latest-"),
                        proxies);
                phase(
                        round,
                        "again (all)",
                        client,
                        stagingRepo,
                        digests,
                        targets,
                        List.of("4.4.1-", "4.4-", "4-", "latest-"),
                        proxies);
            }
        }
    }

    /** Every type under every tag prefix to every target, the targets in parallel; prints one line. */
    private static void phase(
            int round,
            String name,
            OciRegistryClient client,
            String staging,
            Map<String, String> digests,
            List<String> targets,
            List<String> tagPrefixes,
            List<RegistryProxy> proxies)
            throws Exception {
        proxies.forEach(RegistryProxy::reset);
        long start = System.nanoTime();
        List<CopyResult> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<CopyResult>>> futures = new ArrayList<>();
            for (String target : targets) {
                futures.add(pool.submit(() -> {
                    List<CopyResult> done = new ArrayList<>();
                    for (String prefix : tagPrefixes) {
                        for (var e : digests.entrySet()) {
                            done.add(client.copy(staging, e.getValue(), target, prefix + e.getKey()));
                        }
                    }
                    return done;
                }));
            }
            for (Future<List<CopyResult>> f : futures) {
                results.addAll(f.get());
            }
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
                Locale.ROOT,
                "%-6d %-14s %8d %6d %7d %8d %6d %12d %12d%n",
                round,
                name,
                wallMs,
                results.size(),
                results.stream().filter(CopyResult::skipped).count(),
                results.stream().mapToInt(CopyResult::blobsMounted).sum(),
                results.stream().mapToInt(CopyResult::blobsUploaded).sum(),
                results.stream().mapToLong(CopyResult::bytesUploaded).sum(),
                proxies.stream().mapToLong(RegistryProxy::uploadedBytes).sum());
    }
}
