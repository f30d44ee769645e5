package io.smdrelease.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.TestTrees;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.VersionExistsException;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.Trees;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReleaseLifecycle#check}: Generate's decisions and refusals, and nothing written. */
class ReleaseCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private ReleaseLifecycle lifecycle;

    @BeforeEach
    void checkout() {
        TestTrees.copy(Trees.repoDir().resolve("examples/sample-distribution"), root);
        lifecycle = new ReleaseLifecycle(new LocalDirStore(root), ImageConfigs.builtIn(), Clock.systemUTC());
    }

    private ReleaseCheck check(String json) throws Exception {
        return lifecycle.check(ReleaseInput.parse(JSON.readTree(json)));
    }

    @Test
    void aNewVersion_isDecidedAsGenerateWould_andNothingIsWritten() throws Exception {
        Map<String, String> before = Trees.snapshot(root);
        ReleaseCheck check =
                check("{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\",\"imageTypes\":[\"cpu\"]}");
        assertEquals(new ReleaseCheck("1.2.1", "1.2.0", List.of("cpu"), false), check);
        assertEquals(before, Trees.snapshot(root));
    }

    @Test
    void refusals_areGeneratesOwn() throws Exception {
        assertThrows(
                BaseNotFoundException.class, () -> check("{\"releaseType\":\"patch\",\"basePatchVersion\":\"9.9.9\"}"));
        assertThrows(
                InvalidInputException.class,
                () -> check("{\"releaseType\":\"patch\",\"basePatchVersion\":\"1.2.0\",\"imageTypes\":[\"tpu\"]}"));
        TestTrees.copy(root.resolve("build_artifacts/v1/v1.2/v1.2.0"), root.resolve("build_artifacts/v1/v1.2/v1.2.1"));
        assertThrows(
                VersionExistsException.class,
                () -> check("{\"releaseType\":\"patch\",\"basePatchVersion\":\"1.2.0\"}"));
        ReleaseCheck existing = check("{\"targetPatchVersion\":\"1.2.1\"}");
        assertTrue(existing.exists());
        assertFalse(check("{\"releaseType\":\"patch\",\"basePatchVersion\":\"1.2.0\",\"force\":true}")
                .targetVersion()
                .isEmpty());
    }
}
