package io.smdrelease.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.Trees;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionCatalogTest {
    @TempDir
    Path root;

    private VersionCatalog catalog;

    @BeforeEach
    void tree() {
        for (String dir : new String[] {
            "v4/v4.9/v4.9.3",
            "v4/v4.10/v4.10.1",
            "v4/v4.10/v4.10.2",
            "v4/v4.10/v4.10.10",
            "v4/v4.10/v4.10.11/v4.10.11-rc",
            "v3/v3.9/v3.9.9",
            "v5/v5.0/v5.0.0/v5.0.0-beta"
        }) {
            Trees.write(root.resolve("build_artifacts/" + dir + "/cpu.env.in"), "conda-forge::numpy\n");
            Trees.write(root.resolve("build_artifacts/" + dir + "/cpu.env.out"), "@EXPLICIT\n");
        }
        // generated but never built: no env.out, so never latest (the original tool's rule in a checkout)
        Trees.write(root.resolve("build_artifacts/v4/v4.10/v4.10.12/cpu.env.in"), "conda-forge::numpy\n");
        Trees.write(root.resolve("build_artifacts/v4/v4.10/notes.txt"), "not a version\n");
        catalog = new VersionCatalog(new LocalDirStore(root));
    }

    @Test
    void latestIsTheNewestReleaseByNumbersNotByName() {
        assertEquals(
                "4.10.10",
                catalog.resolveBase("latest"),
                "v4.10.11 holds only a prerelease, v4.10.12 was never built, v5 only a beta");
        assertEquals("4.9.3", catalog.resolveBase("latest-4.9"));
        assertEquals("3.9.9", catalog.resolveBase("latest-3.9"));
    }

    @Test
    void explicitVersionsPassThrough() {
        assertEquals("4.4.0", catalog.resolveBase("4.4.0"));
    }

    @Test
    void unknownMinorAndMalformedLatestAreClearErrors() {
        assertThrows(BaseNotFoundException.class, () -> catalog.resolveBase("latest-4.11"));
        assertThrows(InvalidInputException.class, () -> catalog.resolveBase("latest-4"));
        assertThrows(InvalidInputException.class, () -> catalog.resolveBase(""));
    }
}
