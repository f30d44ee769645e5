package io.smdrelease.changelog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.TestTrees;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.version.SemVer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangelogGeneratorTest {
    private static final String V101 = "build_artifacts/v1/v1.0/v1.0.1";

    @TempDir
    Path root;

    private ChangelogGenerator generator() {
        TestTrees.copy(TestTrees.resource("changelog/repo"), root);
        return new ChangelogGenerator(new LocalDirStore(root), ImageConfigs.builtIn());
    }

    @Test
    void generate_writesChangelogsAndReleaseNotes_byteForByte() throws IOException {
        ReleaseDocuments docs = generator().generate(SemVer.of(1, 0, 1));
        assertEquals(SemVer.of(1, 0, 0), docs.base());
        assertEquals(
                List.of(V101 + "/CHANGELOG-gpu.md", V101 + "/CHANGELOG-cpu.md", V101 + "/RELEASE.md"),
                List.copyOf(docs.files().keySet()));
        Path expected = TestTrees.resource("changelog/expected");
        for (String name : List.of("CHANGELOG-cpu.md", "CHANGELOG-gpu.md", "RELEASE.md")) {
            assertArrayEquals(
                    Files.readAllBytes(expected.resolve(name)),
                    Files.readAllBytes(root.resolve(V101 + "/" + name)),
                    name);
        }
    }

    @Test
    void base_isFirstLineOfSourceVersion_withGetSemverRules() throws IOException {
        ChangelogGenerator generator = generator();
        Files.writeString(root.resolve(V101 + "/source-version.txt"), "1.0\nsomething else\n");
        assertEquals(SemVer.of(1, 0, 0), generator.plan(SemVer.of(1, 0, 1)).base());
    }

    @Test
    void missingSourceVersion_isAClearError_andWritesNothing() {
        ChangelogGenerator generator = generator();
        MissingArtifactException e =
                assertThrows(MissingArtifactException.class, () -> generator.generate(SemVer.of(1, 1, 0)));
        assertTrue(
                e.getMessage().contains("build_artifacts/v1/v1.1/v1.1.0/source-version.txt is missing"),
                e.getMessage());
        assertFalse(Files.exists(root.resolve("build_artifacts/v1/v1.1/v1.1.0/RELEASE.md")));
    }

    @Test
    void unbuiltTarget_isAClearError() throws IOException {
        ChangelogGenerator generator = generator();
        Files.delete(root.resolve(V101 + "/cpu.env.out"));
        MissingArtifactException e =
                assertThrows(MissingArtifactException.class, () -> generator.plan(SemVer.of(1, 0, 1)));
        assertTrue(e.getMessage().contains("cpu.env.out is missing"), e.getMessage());
    }

    @Test
    void versionWithoutArtifacts_isAClearError() {
        ChangelogGenerator generator = generator();
        BaseNotFoundException e = assertThrows(BaseNotFoundException.class, () -> generator.plan(SemVer.of(1, 0, 9)));
        assertTrue(e.getMessage().contains("build_artifacts/v1/v1.0/v1.0.9"), e.getMessage());
    }

    @Test
    void missingBaseVersion_isAClearError() throws IOException {
        ChangelogGenerator generator = generator();
        Files.writeString(root.resolve(V101 + "/source-version.txt"), "0.9.0");
        BaseNotFoundException e = assertThrows(BaseNotFoundException.class, () -> generator.plan(SemVer.of(1, 0, 1)));
        assertTrue(e.getMessage().contains("base version 0.9.0"), e.getMessage());
    }
}
