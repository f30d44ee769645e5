package io.smdrelease.buildplan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.TestTrees;
import io.smdrelease.artifacts.CreateRequest;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.version.ReleaseType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A patch release of {@code changelog/repo}'s 1.0.1, whose target 1.0.2 has a cpu additional-packages file. */
class ReleasePreviewerTest {
    @TempDir
    Path root;

    @Test
    void previewsPatch_withBoundsAddedPackagesAndMovingTags_writingNothing() throws IOException {
        TestTrees.copy(TestTrees.resource("changelog/repo"), root);
        List<Path> before = files();
        ReleasePreview preview = new ReleasePreviewer(new LocalDirStore(root), ImageConfigs.builtIn())
                .preview(new CreateRequest(ReleaseType.PATCH, "1.0.1", null, false));

        assertEquals("1.0.2", preview.targetVersion());
        assertEquals("build_artifacts/v1/v1.0/v1.0.2", preview.versionDir());
        assertEquals(
                List.of("gpu", "cpu"),
                preview.images().stream().map(ReleasePreview.Image::imageType).toList());
        ReleasePreview.Image cpu = preview.images().get(1);
        assertEquals(
                List.of("extra", "alpha", "beta", "promo", "newdirect"),
                cpu.packages().stream().map(ReleasePreview.Package::name).toList());
        ReleasePreview.Package extra = cpu.packages().get(0);
        assertEquals(">=3", extra.baseConstraint());
        assertNull(extra.baseResolved());
        assertNull(extra.newBounds());
        assertEquals("conda-forge::extra", extra.newSpec());
        ReleasePreview.Package beta = cpu.packages().get(2);
        assertEquals(">=0.1", beta.baseConstraint());
        assertEquals("2.1.0", beta.baseResolved());
        assertEquals(">=2.1.0,<2.2.0", beta.newBounds());
        assertEquals(List.of("extra"), cpu.added());
        assertEquals(List.of(), cpu.removed());
        // 1.1.0 is built in the fixture, so 1.0.2 takes 1.0 but not 1 or latest
        assertEquals(List.of("1.0.2-cpu", "1.0-cpu"), cpu.tags());
        assertEquals(List.of("1.0-cpu"), cpu.movingTags());
        assertEquals(List.of(), preview.images().get(0).added());
        assertEquals(before, files());
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.sorted().toList();
        }
    }

    @Test
    void bounds_areTakenFromTheVersionBracket() {
        assertEquals(">=1,<2", ReleasePreviewer.bounds("conda-forge::x[version='>=1,<2']"));
        assertNull(ReleasePreviewer.bounds("conda-forge::x"));
        assertTrue(ReleasePreviewer.bounds("conda-forge::python[version='>=3.12.9']")
                .equals(">=3.12.9"));
    }
}
