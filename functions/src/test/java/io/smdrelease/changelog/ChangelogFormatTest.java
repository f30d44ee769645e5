package io.smdrelease.changelog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smdrelease.version.SemVer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChangelogFormatTest {
    private static final Changeset NONE = new Changeset(List.of(), List.of(), List.of());

    @Test
    void changelog_withoutChanges_isHeaderOnly() {
        assertEquals(
                "# Change log: 2.0.0-beta (cpu)\n\nThis page lists all package changes since the previous release"
                        + " (1.5.2).\n\n",
                ChangelogFormat.changelog(
                        SemVer.parseImageVersion("2.0.0-beta"),
                        "cpu",
                        SemVer.of(1, 5, 2),
                        new ImageChangesets(NONE, NONE, Set.of(), Set.of())));
    }

    @Test
    void changelog_onlyIndirectNew_hasNoDirectSection() {
        Changeset added = new Changeset(List.of(), List.of(new PackageVersion("x", "1")), List.of());
        String text = ChangelogFormat.changelog(
                SemVer.of(1, 0, 1), "gpu", SemVer.of(1, 0, 0), new ImageChangesets(NONE, added, Set.of(), Set.of()));
        assertEquals(
                "# Change log: 1.0.1 (gpu)\n\nThis page lists all package changes since the previous release"
                        + " (1.0.0).\n\n" + ChangelogFormat.INDIRECT_HEADING
                        + "\n### New\n\nPackage | Version\n---|---\nx|1\n",
                text);
    }

    @Test
    void releaseNotes_missingVersionIsASpace() {
        Map<String, Map<String, String>> byType = new LinkedHashMap<>();
        byType.put("gpu", new LinkedHashMap<>(Map.of("a", "1")));
        byType.put("cpu", new LinkedHashMap<>(Map.of("b", "2")));
        assertEquals(
                "# Release notes: 3.0.0\n\nPackage | gpu| cpu\n---|---|---\na|1| \nb| |2\n",
                ChangelogFormat.releaseNotes(SemVer.of(3, 0, 0), byType));
    }

    @Test
    void versionReleaseNote_linksHaveNoPrereleaseSegment() {
        assertEquals("""
                ### Public ECR Gallery URL
                https://gallery.ecr.aws/sagemaker/sagemaker-distribution
                ### Public ECR Image URL
                ```
                public.ecr.aws/sagemaker/sagemaker-distribution:2.0.0-beta-gpu
                ```
                ## Change Logs
                Change log: https://github.com/aws/sagemaker-distribution/blob/main/build_artifacts/v2/v2.0/v2.0.0/CHANGELOG-gpu.md
                Release note: https://github.com/aws/sagemaker-distribution/blob/main/build_artifacts/v2/v2.0/v2.0.0/RELEASE.md
                """, ChangelogFormat.versionReleaseNote(SemVer.parseImageVersion("2.0.0-beta"), "gpu"));
    }
}
