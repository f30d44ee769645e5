package io.smdrelease.changelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.TestTrees;
import io.smdrelease.conda.EnvFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * cpu of {@code changelog/repo} 1.0.0 → 1.0.1: alpha, beta change; gamma is removed; promo (indirect in 1.0.0) is
 * promoted; delta and eps are demoted (delta moves, eps does not); newdirect and newlib are new; libz goes away.
 */
class ImageChangesetsTest {
    private static ImageChangesets cpu;

    @BeforeAll
    static void derive() throws IOException {
        Path dir = TestTrees.resource("changelog/repo/build_artifacts/v1/v1.0");
        cpu = ImageChangesets.derive(
                env(dir.resolve("v1.0.0/cpu.env.in")),
                env(dir.resolve("v1.0.0/cpu.env.out")),
                env(dir.resolve("v1.0.1/cpu.env.in")),
                env(dir.resolve("v1.0.1/cpu.env.out")));
    }

    private static EnvFile env(Path path) throws IOException {
        return EnvFile.parse(path.toString(), Files.readAllBytes(path));
    }

    private static List<String> names(List<?> entries) {
        return entries.stream()
                .map(e -> e instanceof PackageChange c ? c.name() : ((PackageVersion) e).name())
                .toList();
    }

    @Test
    void promotedAndDemoted_areDetected() {
        assertEquals(List.of("promo"), List.copyOf(cpu.promoted()));
        assertEquals(List.of("delta", "eps"), List.copyOf(cpu.demoted()));
    }

    @Test
    void promoted_appearsOnlyAsDirectChange() {
        assertTrue(cpu.direct().changed().contains(new PackageChange("promo", "0.9.0", "1.0.0")));
        assertTrue(!names(cpu.indirect().removed()).contains("promo"));
        assertTrue(!names(cpu.direct().added()).contains("promo"));
    }

    @Test
    void demoted_appearsOnlyAsIndirectChange_whenItsVersionMoved() {
        assertTrue(cpu.indirect().changed().contains(new PackageChange("delta", "1.0.0", "1.1.0")));
        assertTrue(!names(cpu.indirect().added()).contains("delta"));
        assertTrue(!names(cpu.direct().removed()).contains("delta"));
        for (Changeset set : List.of(cpu.direct(), cpu.indirect())) {
            assertTrue(!names(set.changed()).contains("eps"));
            assertTrue(!names(set.added()).contains("eps"));
            assertTrue(!names(set.removed()).contains("eps"));
        }
    }

    @Test
    void directChanges_sortedByChangeType_stableInEnvOutOrder() {
        assertEquals(
                List.of(
                        new PackageChange("alpha", "1.0.0", "2.0.0"),
                        new PackageChange("promo", "0.9.0", "1.0.0"),
                        new PackageChange("beta", "2.0.0", "2.1.0")),
                cpu.direct().changed());
    }

    @Test
    void addedAndRemoved_directAndIndirect() {
        assertEquals(
                List.of(new PackageVersion("newdirect", "0.1.0")), cpu.direct().added());
        assertEquals(List.of(new PackageVersion("gamma", "1.0.0")), cpu.direct().removed());
        assertEquals(
                List.of(new PackageVersion("newlib", "5.0")), cpu.indirect().added());
        assertEquals(
                List.of(new PackageVersion("libz", "3.0.0")), cpu.indirect().removed());
    }

    @Test
    void indirectChanges_orderedMajorMinorPatchThenUnclassified() {
        assertEquals(
                List.of("libw", "delta", "libx", "odd"), names(cpu.indirect().changed()));
        assertEquals(
                List.of("major", "minor", "patch", ""),
                cpu.indirect().changed().stream().map(PackageChange::changeType).toList());
    }

    @Test
    void changeType_isMajorOrMinorWhenThoseDiffer_elsePatch_orEmptyWhenUnparsable() {
        assertEquals("major", PackageChange.changeType("11.8", "12.0"));
        assertEquals("major", PackageChange.changeType("1.0.0", "0.52.1"), "a downgrade too");
        assertEquals("minor", PackageChange.changeType("3.4.9", "3.5.1"));
        assertEquals("patch", PackageChange.changeType("1.2.15.3", "1.2.16"));
        assertEquals("minor", PackageChange.changeType("17.0.1", "17.1"));
        assertEquals("", PackageChange.changeType("25.12.0", "25.02.0"));
        assertEquals("", PackageChange.changeType("0.55b1", "0.56"));
        assertEquals("", PackageChange.changeType("8", "9"));
        assertEquals("", PackageChange.changeType("1.0.0+cuda", "1.0.1"), "build metadata fails get_semver");
    }

    /** The original's {@code _classify_bump} falls back to patch when major and minor agree (2.13.9's alsa-lib row). */
    @Test
    void changeType_isPatchWhenOnlyAFourthFieldOrSuffixDiffers() {
        assertEquals("patch", PackageChange.changeType("1.2.16", "1.2.16.1"));
        assertEquals("patch", PackageChange.changeType("1.4.1.post1", "1.4.1.post2"));
        assertEquals("patch", PackageChange.changeType("2.0.0-rc.1", "2.0.0-rc.2"));
    }

    /** python-semver's fields are unbounded integers. */
    @Test
    void changeType_readsFieldsOfAnyLength() {
        assertEquals("minor", PackageChange.changeType("1.20240101123456.0", "1.20240201123456.0"));
        assertEquals("major", PackageChange.changeType("99999999999.0.0", "99999999998.0.0"));
    }

    @Test
    void sameFiles_giveNoChanges() throws IOException {
        Path dir = TestTrees.resource("changelog/repo/build_artifacts/v1/v1.0/v1.0.1");
        EnvFile in = env(dir.resolve("cpu.env.in"));
        EnvFile out = env(dir.resolve("cpu.env.out"));
        ImageChangesets none = ImageChangesets.derive(in, out, in, out);
        assertTrue(none.direct().isEmpty());
        assertTrue(none.indirect().isEmpty());
    }
}
