package io.smdrelease.repodata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.smdrelease.TestTrees;
import io.smdrelease.error.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepodataReaderTest {
    static final Path LINUX_64 = TestTrees.resource("repodata/channel/linux-64/repodata.json");
    static final Path NOARCH = TestTrees.resource("repodata/channel/noarch/repodata.json");

    static RepodataIndex channel() {
        return RepodataReader.read(
                List.of(new RepodataSource(LINUX_64.toString()), new RepodataSource(NOARCH.toString())));
    }

    @Test
    void readsBothSectionsOfBothSubdirs() {
        RepodataIndex index = channel();
        assertEquals(24, index.recordCount());
        assertEquals(11, index.packageCount());
        assertEquals(List.of(LINUX_64.toString(), NOARCH.toString()), index.sources());
        List<PackageRecord> numpy = index.records("numpy");
        assertEquals(6, numpy.size());
        assertEquals(1, numpy.stream().filter(r -> !r.condaFormat()).count(), "the .tar.bz2 of packages");
        PackageRecord tarBz2 =
                numpy.stream().filter(r -> !r.condaFormat()).findFirst().orElseThrow();
        assertEquals(
                new PackageRecord(
                        "numpy",
                        "1.26.4",
                        "py312heda63a1_0",
                        0,
                        7_500_000,
                        1730000000000L,
                        List.of("libgcc >=12", "python >=3.12,<3.13.0a0"),
                        false,
                        LINUX_64.toString()),
                tarBz2);
        assertEquals(NOARCH.toString(), index.records("requests").get(0).source());
        assertTrue(index.records("NumPy").size() == 6, "names are looked up case-insensitively");
        assertEquals(List.of(), index.records("absent"));
    }

    @Test
    void twoSources_equalEachFileReadAlone() {
        RepodataIndex both = channel();
        RepodataIndex linux = RepodataReader.read(List.of(new RepodataSource(LINUX_64.toString())));
        RepodataIndex noarch = RepodataReader.read(List.of(new RepodataSource(NOARCH.toString())));
        for (String name : List.of(
                "python", "numpy", "pandas", "libgcc", "cupy", "requests", "jupyterlab", "tzdata", "newpkg", "tqdm")) {
            List<PackageRecord> expected = new ArrayList<>(linux.records(name));
            expected.addAll(noarch.records(name));
            assertEquals(expected, both.records(name), name);
        }
    }

    @Test
    void merge_keepsSourceOrderAndOneInstancePerDistinctString() {
        RepodataIndex.Builder first = new RepodataIndex.Builder();
        int a = first.addSource("a.json");
        first.add(
                first.pool().intern("x"),
                "1.0",
                "0",
                0,
                10,
                0,
                new String[] {first.pool().intern("dep >=1")},
                true,
                a);
        RepodataIndex.Builder second = new RepodataIndex.Builder();
        int b = second.addSource("b.json");
        second.add(new String("x"), "2.0", "0", 0, 20, 0, new String[] {new String("dep >=1")}, false, b);
        RepodataIndex index =
                RepodataIndex.Builder.merge(List.of(first, second)).build();
        List<PackageRecord> x = index.records("x");
        assertEquals(
                List.of("a.json", "b.json"),
                x.stream().map(PackageRecord::source).toList());
        assertEquals(
                List.of("1.0", "2.0"), x.stream().map(PackageRecord::version).toList());
        org.junit.jupiter.api.Assertions.assertSame(x.get(0).name(), x.get(1).name());
        org.junit.jupiter.api.Assertions.assertSame(
                x.get(0).depends().get(0), x.get(1).depends().get(0));
    }

    @Test
    void severalFailingSources_reportTheFirst() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> RepodataReader.read(List.of(
                        new RepodataSource("/nonexistent/one.json"), new RepodataSource("/nonexistent/two.json"))));
        assertTrue(e.getMessage().startsWith("could not read repodata /nonexistent/one.json"), e.getMessage());
    }

    @Test
    void newest_ordersByCondaVersionThenBuildNumber() {
        RepodataIndex index = channel();
        PackageRecord newest = index.newest("numpy", v -> true).orElseThrow();
        assertEquals("2.2.3", newest.version());
        assertEquals("py312h72c5963_1", newest.build(), "build number 1 beats 0");
        assertEquals(
                "1.26.5",
                index.newest("numpy", VersionSpec.parse(">=1.26.4,<1.27.0"))
                        .orElseThrow()
                        .version());
        assertTrue(index.newest("numpy", VersionSpec.parse(">=3")).isEmpty());
    }

    @Test
    void find_prefersTheCondaFormatOfAnInstalledVersion() {
        RepodataIndex index = channel();
        PackageRecord record = index.find("numpy", "1.26.4").orElseThrow();
        assertTrue(record.condaFormat());
        assertEquals(7_000_000, record.size());
        assertEquals(7_500_000, index.records("numpy").get(0).size());
        assertEquals(
                "py312h72c5963_0",
                index.find("numpy", "2.2.3", "py312h72c5963_0").orElseThrow().build());
        assertTrue(index.find("numpy", "1.26.3").isEmpty());
    }

    @Test
    void zstdAndPlainInput_giveTheSameIndex(@TempDir Path dir) throws IOException {
        Path zst = dir.resolve("repodata.json.zst");
        try (OutputStream out = new ZstdOutputStreamNoFinalizer(Files.newOutputStream(zst), 3)) {
            Files.copy(LINUX_64, out);
        }
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(zst), Files.readAllBytes(LINUX_64)));
        RepodataIndex plain = RepodataReader.read(List.of(new RepodataSource(LINUX_64.toString())));
        RepodataIndex compressed = RepodataReader.read(List.of(new RepodataSource(zst.toString())));
        assertEquals(plain.recordCount(), compressed.recordCount());
        for (String name : List.of("python", "numpy", "pandas", "libgcc", "cupy")) {
            assertEquals(withoutSource(plain.records(name)), withoutSource(compressed.records(name)), name);
        }
    }

    private static List<PackageRecord> withoutSource(List<PackageRecord> records) {
        List<PackageRecord> out = new ArrayList<>();
        for (PackageRecord r : records) {
            out.add(new PackageRecord(
                    r.name(),
                    r.version(),
                    r.build(),
                    r.buildNumber(),
                    r.size(),
                    r.timestamp(),
                    r.depends(),
                    r.condaFormat(),
                    ""));
        }
        return out;
    }

    @Test
    void malformedJson_namesTheFileLineAndColumn() {
        Path file = TestTrees.resource("repodata/malformed/bad-token.json");
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> RepodataReader.read(List.of(new RepodataSource(file.toString()))));
        assertTrue(
                e.getMessage()
                        .startsWith(file + ": malformed repodata JSON at line 5, column 34: Unexpected character"),
                e.getMessage());
    }

    @Test
    void truncatedJson_namesTheFileAndWhereItEnds() {
        Path file = TestTrees.resource("repodata/malformed/truncated.json");
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> RepodataReader.read(List.of(new RepodataSource(file.toString()))));
        long lines = Trees.lines(file);
        assertTrue(
                e.getMessage().startsWith(file + ": malformed repodata JSON at line " + lines + ", column "),
                e.getMessage());
    }

    @Test
    void malformedZstdContent_namesTheFileAndThePositionInTheDecompressedText() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new ZstdOutputStreamNoFinalizer(bytes, 3)) {
            out.write("{\n \"packages\": {\n  \"a\": {,}\n }\n}\n".getBytes(StandardCharsets.UTF_8));
        }
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> RepodataReader.read("mem.json.zst", new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(
                e.getMessage().startsWith("mem.json.zst: malformed repodata JSON at line 3, column 9"), e.getMessage());
    }

    @Test
    void corruptZstdStream_isAClearError() {
        byte[] bytes = {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD, 1, 2, 3, 4, 5, 6, 7};
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> RepodataReader.read("bad.zst", new ByteArrayInputStream(bytes)));
        assertTrue(e.getMessage().startsWith("could not read repodata bad.zst: "), e.getMessage());
    }

    @Test
    void wrongStructure_namesTheFileAndPosition() {
        Path list = TestTrees.resource("repodata/malformed/packages-not-object.json");
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> RepodataReader.read(List.of(new RepodataSource(list.toString()))));
        assertEquals(
                list + ": not a conda repodata file at line 2, column 15: 'packages' is not an object of"
                        + " package records",
                e.getMessage());

        Path noVersion = TestTrees.resource("repodata/malformed/record-without-version.json");
        e = assertThrows(
                InvalidInputException.class,
                () -> RepodataReader.read(List.of(new RepodataSource(noVersion.toString()))));
        assertTrue(
                e.getMessage().startsWith(noVersion + ": not a conda repodata file at line 6, column "),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("the record of a-1.0-0.conda has no version"), e.getMessage());
    }

    @Test
    void missingFile_isAUserErrorNamingIt() {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> RepodataReader.read(List.of(new RepodataSource("/nonexistent/repodata.json"))));
        assertTrue(e.getMessage().contains("/nonexistent/repodata.json"), e.getMessage());
    }

    @Test
    void sources_splitCommasAndDefaultToCondaForge() {
        assertEquals(
                List.of(new RepodataSource("a.json"), new RepodataSource("b.json"), new RepodataSource("c.json")),
                RepodataSource.of(List.of("a.json,b.json", "c.json")));
        assertEquals(
                RepodataSource.CONDA_FORGE,
                RepodataSource.of(null).stream().map(RepodataSource::location).toList());
        assertTrue(new RepodataSource("https://conda.anaconda.org/x/noarch/repodata.json").isUrl());
    }

    /** Small file helpers. */
    static final class Trees {
        static long lines(Path file) {
            try {
                String text = Files.readString(file);
                return text.lines().count();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
