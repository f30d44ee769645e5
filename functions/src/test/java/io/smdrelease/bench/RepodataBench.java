package io.smdrelease.bench;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.smdrelease.repodata.RepodataIndex;
import io.smdrelease.repodata.RepodataReader;
import io.smdrelease.repodata.RepodataSource;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Parse-and-index time and heap of a generated conda-forge-sized repodata ({@code linux-64} ≈300 MB with ≈600k
 * records, in a temporary directory that is deleted afterwards). Run by bench/run.sh with {@code -Xmx1g}.
 *
 * <p>Usage: {@code RepodataBench [records] [runs]} (defaults 600000 and 5). Prints the generated size, the time of
 * each run (the first is cold), the retained heap of the index after a full GC, and the same for the {@code .zst}.
 */
public final class RepodataBench {
    private static final String[] LICENSES = {"MIT", "BSD-3-Clause", "Apache-2.0", "GPL-3.0-or-later", "LGPL-2.1"};
    private static final String[] PYTHONS = {"39", "310", "311", "312", "313"};
    private static final String[] COMMON_DEPENDS = {
        "libgcc >=13",
        "libstdcxx >=13",
        "__glibc >=2.17,<3.0.a0",
        "libzlib >=1.3.1,<2.0a0",
        "openssl >=3.5.0,<4.0a0",
        "numpy >=1.23,<3",
        "libblas >=3.9.0,<4.0a0",
        "liblapack >=3.9.0,<4.0a0",
        "zstd >=1.5.7,<1.6.0a0",
        "libcxx >=19",
        "packaging",
        "typing_extensions >=4.5",
        "requests >=2.28",
        "setuptools"
    };

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 600_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("repodata-bench");
        try {
            Path json = dir.resolve("repodata.json");
            long start = System.nanoTime();
            generate(json, records, new Random(20250101));
            System.out.printf(
                    "generated %s: %.1f MB, %d records in %.1f s (max heap %d MB)%n",
                    json,
                    Files.size(json) / 1e6,
                    records,
                    (System.nanoTime() - start) / 1e9,
                    Runtime.getRuntime().maxMemory() >> 20);
            measure("repodata.json", List.of(json), runs);

            Path linux = dir.resolve("linux-64.json");
            Path noarch = dir.resolve("noarch.json");
            generate(linux, records * 2 / 3, new Random(20250102));
            generate(noarch, records - records * 2 / 3, new Random(20250103));
            System.out.printf(
                    "generated linux-64 %.1f MB + noarch %.1f MB (%d records), read one after the other:%n",
                    Files.size(linux) / 1e6, Files.size(noarch) / 1e6, records);
            measure("two files", List.of(linux, noarch), runs);
            Files.delete(linux);
            Files.delete(noarch);

            Path zst = dir.resolve("repodata.json.zst");
            try (OutputStream out =
                    new ZstdOutputStreamNoFinalizer(new BufferedOutputStream(Files.newOutputStream(zst)), 3)) {
                Files.copy(json, out);
            }
            Files.delete(json);
            System.out.printf("compressed to %.1f MB%n", Files.size(zst) / 1e6);
            measure("repodata.json.zst", List.of(zst), runs);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void measure(String label, List<Path> files, int runs) {
        RepodataIndex index = null;
        for (int i = 0; i < runs; i++) {
            index = null;
            System.gc();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            index = RepodataReader.read(
                    files.stream().map(f -> new RepodataSource(f.toString())).toList());
            long nanos = System.nanoTime() - start;
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
            System.out.printf(
                    "%-18s run %d: parse + index %5.2f s wall, %5.2f s CPU of the calling thread"
                            + "  (%d records, %d packages)%n",
                    label, i + 1, nanos / 1e9, cpu / 1e9, index.recordCount(), index.packageCount());
        }
        System.gc();
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(
                "%-18s heap after full GC with the index alive: %d MB; peak (all pools): %d MB%n",
                label, used >> 20, peak() >> 20);
        // keep the index reachable until after the measurement
        if (index.recordCount() == 0) {
            throw new IllegalStateException("no records");
        }
    }

    private static long peak() {
        long sum = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /**
     * A linux-64 repodata shaped like conda-forge's: ≈30 records per package name, two thirds in
     * {@code packages.conda}; per record build string, number, depends, license, checksums, size, subdir
     * and timestamp, and for a quarter of them constrains.
     */
    public static void generate(Path file, int records, Random random) throws IOException {
        HexFormat hex = HexFormat.of();
        byte[] digest = new byte[32];
        int names = Math.max(1, records / 20);
        try (Writer w = new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 20)) {
            w.write("{\n \"info\": {\n  \"subdir\": \"linux-64\"\n },\n");
            int tarBz2 = records / 3;
            w.write(" \"packages\": {");
            writeRecords(w, 0, tarBz2, names, ".tar.bz2", random, hex, digest);
            w.write("\n },\n \"packages.conda\": {");
            writeRecords(w, tarBz2, records, names, ".conda", random, hex, digest);
            w.write("\n },\n \"removed\": [],\n \"repodata_version\": 1\n}\n");
        }
    }

    private static void writeRecords(
            Writer w, int from, int to, int names, String extension, Random random, HexFormat hex, byte[] digest)
            throws IOException {
        StringBuilder sb = new StringBuilder(1024);
        for (int i = from; i < to; i++) {
            int nameId = i % names;
            String name = "pkg-" + Integer.toString(nameId * 7919 % 1_000_003, 36) + (nameId % 5 == 0 ? "-python" : "");
            int serial = i / names;
            String version = (serial / 9) + "." + (serial % 9) + "." + random.nextInt(4);
            String py = PYTHONS[random.nextInt(PYTHONS.length)];
            random.nextBytes(digest);
            String hash = hex.formatHex(digest, 0, 4).substring(0, 7);
            int buildNumber = random.nextInt(3);
            String build = "py" + py + "h" + hash + "_" + buildNumber;
            sb.setLength(0);
            sb.append(i == from ? "\n" : ",\n")
                    .append("  \"")
                    .append(name)
                    .append('-')
                    .append(version)
                    .append('-')
                    .append(build)
                    .append(extension)
                    .append("\": {\n")
                    .append("  \"build\": \"")
                    .append(build)
                    .append("\",\n")
                    .append("  \"build_number\": ")
                    .append(buildNumber)
                    .append(",\n")
                    .append("  \"depends\": [\n")
                    .append("   \"python >=")
                    .append(py.charAt(0))
                    .append('.')
                    .append(py.substring(1))
                    .append(",<")
                    .append(py.charAt(0))
                    .append('.')
                    .append(Integer.parseInt(py.substring(1)) + 1)
                    .append(".0a0\",\n")
                    .append("   \"python_abi ")
                    .append(py.charAt(0))
                    .append('.')
                    .append(py.substring(1))
                    .append(".* *_cp")
                    .append(py)
                    .append('"');
            int extra = 1 + random.nextInt(5);
            for (int d = 0; d < extra; d++) {
                sb.append(",\n   \"")
                        .append(COMMON_DEPENDS[random.nextInt(COMMON_DEPENDS.length)])
                        .append('"');
            }
            sb.append("\n  ],\n")
                    .append("  \"license\": \"")
                    .append(LICENSES[random.nextInt(LICENSES.length)])
                    .append("\",\n")
                    .append(i % 4 == 0 ? "  \"constrains\": [\n   \"" + name + "-base " + version + "\"\n  ],\n" : "")
                    .append("  \"md5\": \"")
                    .append(hex.formatHex(digest, 0, 16))
                    .append("\",\n")
                    .append("  \"name\": \"")
                    .append(name)
                    .append("\",\n")
                    .append("  \"sha256\": \"")
                    .append(hex.formatHex(digest))
                    .append("\",\n")
                    .append("  \"size\": ")
                    .append(10_000 + random.nextInt(50_000_000))
                    .append(",\n")
                    .append("  \"subdir\": \"linux-64\",\n")
                    .append("  \"timestamp\": ")
                    .append(1_600_000_000_000L + random.nextInt(1_000_000_000) * 100L)
                    .append(",\n")
                    .append("  \"version\": \"")
                    .append(version)
                    .append("\"\n  }");
            w.append(sb);
        }
    }
}
