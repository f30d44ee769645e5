package io.smdrelease.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smdrelease.TestTrees;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.version.SemVer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fixture {@code tags/repo} holds built (env.out) versions 2.0.0-beta, 3.8.1, 3.9.10, 4.0.0, 4.2.6, 4.3.0, 4.4.1 and
 * 4.5.0, a generated but unbuilt 4.4.2 (env.in only), and 3.8.2 built for gpu only.
 */
class VersionTagsTest {
    private static final ImageConfigs CONFIGS = ImageConfigs.builtIn();
    private final ArtifactStore store = new LocalDirStore(TestTrees.resource("tags/repo"));
    private final VersionTags tags = new VersionTags(store, CONFIGS);

    private List<String> labels(String version) {
        return tags.labels(SemVer.parseImageVersion(version), "cpu.env.out");
    }

    @Test
    void latestPatch_getsAllTags_whenNewerMinorIsIncomplete() {
        VersionTags ignoringIncomplete =
                new VersionTags(TestTrees.withIncomplete(store, Set.of("build_artifacts/v4/v4.5/v4.5.0")), CONFIGS);
        assertEquals(
                List.of("4.4.1", "4.4", "4", "latest"), ignoringIncomplete.labels(SemVer.of(4, 4, 1), "cpu.env.out"));
    }

    @Test
    void newerCompleteMinor_stopsAtMinorTag() {
        assertEquals(List.of("4.4.1", "4.4"), labels("4.4.1"));
    }

    @Test
    void generatedButUnbuiltNextPatch_doesNotBlock() {
        // 4.4.2 exists as a directory with env.in files only; 4.4.1 keeps 4.4
        assertEquals("4.4", labels("4.4.1").get(1));
    }

    @Test
    void olderMinor_getsPatchAndMinorTags() {
        assertEquals(List.of("4.2.6", "4.2"), labels("4.2.6"));
    }

    @Test
    void olderMajor_getsMajorTagButNotLatest() {
        assertEquals(List.of("3.9.10", "3.9", "3"), labels("3.9.10"));
    }

    @Test
    void prereleaseAlone_getsPrereleaseSuffixedTags() {
        assertEquals(List.of("2.0.0-beta", "2.0-beta", "2-beta", "latest-beta"), labels("2.0.0-beta"));
    }

    @Test
    void existence_isPerImageType() {
        // 3.8.2 is built for gpu only: it takes 3.8-gpu away from 3.8.1 but not 3.8-cpu
        Map<String, List<String>> byType = tags.tagsByImageType(SemVer.of(3, 8, 1));
        assertEquals(List.of("3.8.1-gpu"), byType.get("gpu"));
        assertEquals(List.of("3.8.1-cpu", "3.8-cpu", "3-cpu"), byType.get("cpu"));
        assertEquals(List.of("gpu", "cpu"), List.copyOf(byType.keySet()));
    }

    @Test
    void tags_applyTheImageTypePattern() {
        assertEquals(
                List.of("3.9.10-gpu", "3.9-gpu", "3-gpu"), tags.tags(SemVer.of(3, 9, 10), CONFIGS.forType(3, "gpu")));
    }
}
