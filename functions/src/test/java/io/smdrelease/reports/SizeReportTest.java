package io.smdrelease.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.TestTrees;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.error.SizeLimitExceededException;
import io.smdrelease.reports.SizeReport.PackageDelta;
import io.smdrelease.reports.SizeReport.PackageSize;
import io.smdrelease.store.LocalDirStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizeReportTest {
    private static SizeReport minorRelease(long gpuImage) {
        return SizeReport.build(
                ReportFixtures.release("1.1.0", false),
                ReportFixtures.channel(),
                ReportFixtures.sizes(Map.of("1.1.0-cpu", 10_000_000L, "1.1.0-gpu", gpuImage, "1.0.0-cpu", 9_000_000L)),
                SizeReport.DEFAULT_LIMIT_PERCENT);
    }

    @Test
    void imageAndPackageSizes_againstTheBase() {
        SizeReport report = minorRelease(6_000_000L);
        assertEquals("1.0.0", report.baseVersion());
        SizeReport.Image cpu = report.images().get(1);
        assertEquals("cpu", cpu.imageType());
        assertEquals(10_000_000L, cpu.targetImageSize());
        assertEquals(9_000_000L, cpu.baseImageSize());
        assertEquals(61_978_000L, cpu.targetPackagesTotal());
        assertEquals(60_978_000L, cpu.basePackagesTotal(), "numpy 1.26.4 counts its .conda file, 7.0 MB");
        assertEquals(
                new PackageSize("python", "3.12.9", 31_000_000L), cpu.largest().get(0));
        assertEquals(9, cpu.largest().size());
        assertEquals(
                List.of(
                        new PackageDelta("jupyterlab", "4.3.0", "4.2.5", 7_300_000L, 7_000_000L),
                        new PackageDelta("newpkg", "0.3.0", null, 300_000L, null),
                        new PackageDelta("pandas", "2.2.3", "2.2.2", 15_200_000L, 15_000_000L),
                        new PackageDelta("numpy", "1.26.5", "1.26.4", 7_100_000L, 7_000_000L),
                        new PackageDelta("tqdm", "4.66.5", null, 100_000L, null)),
                cpu.changed());
        assertEquals(
                List.of(new PackageSize("newpkg", "0.3.0", 300_000L), new PackageSize("tqdm", "4.66.5", 100_000L)),
                cpu.newPackages());
        assertEquals(400_000L, cpu.newPackagesTotal());
        assertEquals(0.65, cpu.newPercentOfPackages(), 1e-9, "of the 61,978,000 B of conda packages, rounded");
        assertNull(report.images().get(0).baseImageSize(), "the base has no gpu image in the repository");
        assertEquals(List.of(), cpu.unknownSizes());
    }

    /** As in the original: the new packages' share of the image's conda packages, whatever the image's size. */
    @Test
    void gate_comparesNewPackagesWithThePackageTotal_notTheImageSize() {
        for (long gpuImage : List.of(6_000_000L, 8_000_000_000L)) {
            SizeReport report = minorRelease(gpuImage);
            SizeReport.Image gpu = report.images().get(0);
            assertEquals(108_978_000L, gpu.targetPackagesTotal());
            assertEquals(6_400_000L, gpu.newPackagesTotal());
            assertEquals(5.87, gpu.newPercentOfPackages(), 1e-9);
            assertEquals(1, report.violations().size(), "cpu's 0.65% passes: " + report.violations());
            SizeLimitExceededException e = assertThrows(SizeLimitExceededException.class, report::validate);
            assertEquals(
                    "the size gate of 1.1.0 failed: gpu: the 3 new packages take 6.10 MiB, 5.87% of the 103.93 MiB of"
                            + " conda packages in 1.1.0-gpu; the limit is 5.00% (largest: [nccl 5.72 MiB, newpkg"
                            + " 292.97 KiB, tqdm 97.66 KiB]). Remove or replace the large new packages, or skip the"
                            + " gate for this release.",
                    e.getMessage());
        }
    }

    /** The original compares the share rounded to two decimals: 5.8727 % passes a 5.87 % gate. */
    @Test
    void gate_comparesTheShareRoundedToTwoDecimals() {
        SizeReport report = SizeReport.build(
                ReportFixtures.release("1.1.0", false),
                ReportFixtures.channel(),
                ReportFixtures.sizes(Map.of("1.1.0-cpu", 1L, "1.1.0-gpu", 1L)),
                5.87);
        assertEquals(List.of(), report.violations());
    }

    @Test
    void gate_loadsTheVersionFromTheStore() {
        LocalDirStore store = new LocalDirStore(TestTrees.resource("repodata/repo"));
        Map<String, Long> sizes = Map.of("1.1.0-cpu", 10_000_000L, "1.1.0-gpu", 10_000_000L);
        SizeReport passed = SizeReport.gate(
                store, ImageConfigs.builtIn(), "1.1.0", ReportFixtures.channel(), ReportFixtures.sizes(sizes), 6.0);
        assertEquals(5.87, passed.images().get(0).newPercentOfPackages(), 1e-9);
        SizeLimitExceededException e = assertThrows(
                SizeLimitExceededException.class,
                () -> SizeReport.gate(
                        store,
                        ImageConfigs.builtIn(),
                        "1.1.0",
                        ReportFixtures.channel(),
                        ReportFixtures.sizes(sizes),
                        0.5));
        assertTrue(e.getMessage().contains("gpu: the 3 new packages take 6.10 MiB, 5.87% of the"), e.getMessage());
        assertTrue(e.getMessage().contains("cpu: the 2 new packages take 390.63 KiB, 0.65% of the"), e.getMessage());
    }

    @Test
    void missingTargetImage_isAClearError() {
        MissingArtifactException e = assertThrows(
                MissingArtifactException.class,
                () -> SizeReport.build(
                        ReportFixtures.release("1.1.0", false),
                        ReportFixtures.channel(),
                        ReportFixtures.sizes(Map.of("1.1.0-cpu", 1L)),
                        5.0));
        assertEquals(
                "image 1.1.0-gpu is not in test repository: build and push the gpu image of 1.1.0 to the"
                        + " staging repository first",
                e.getMessage());
    }

    @Test
    void withoutBase_showsPartialResultsAndNoGate() {
        SizeReport report = SizeReport.build(
                ReportFixtures.release("1.0.0", false),
                ReportFixtures.channel(),
                ReportFixtures.sizes(Map.of("1.0.0-cpu", 1_000L, "1.0.0-gpu", 1_000L)),
                5.0);
        assertNull(report.baseVersion());
        assertEquals(List.of(), report.violations());
        assertTrue(report.toMarkdown().contains("WARNING: No base version"), report.toMarkdown());
    }

    @Test
    void markdown_hasTheImageTableAndPackageTables() {
        String md = minorRelease(6_000_000L).toMarkdown();
        assertTrue(
                md.contains("\n# Image Size Report (cpu)\n\n### Target Image Version: 1.1.0 | Base Image Version:"
                        + " 1.0.0\n\nTarget Image (1.1.0-cpu)|Base Image (1.0.0-cpu)|Size Change Absolute Value|Size Change"
                        + " Relative Value\n---|---|---|---\n9.54 MiB|8.58 MiB|976.56 KiB|11.11%\n"),
                md);
        assertTrue(md.contains("\n## Python Package Size Delta\n\n"), md);
        assertTrue(md.contains("newpkg|0.3.0|(new)|292.97 KiB|-\n"), md);
        assertTrue(
                md.contains("New packages: 2, 390.63 KiB, 0.65% of the 59.11 MiB of conda packages (limit 5.00%)."),
                md);
    }
}
