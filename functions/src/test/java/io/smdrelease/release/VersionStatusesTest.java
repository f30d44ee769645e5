package io.smdrelease.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.smdrelease.TestTrees;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.version.SemVer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lifecycle state each version's files record, in a checkout holding a version in every state. */
class VersionStatusesTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);
    private static final String OTHER = "sha256:" + "b".repeat(64);

    @TempDir
    Path root;

    private LocalDirStore store;

    @BeforeEach
    void versionsInEveryState() {
        TestTrees.copy(Trees.repoDir().resolve("examples/sample-distribution"), root);
        store = new LocalDirStore(root);
        version("1.2.1", candidate("cpu", DIGEST, "2026-01-01T10:00:00Z"));
        version(
                "1.2.2",
                candidate("cpu", DIGEST, "2026-01-01T10:00:00Z"),
                gates(DIGEST, "PASSED", "2026-01-01T11:00:00Z"));
        version(
                "1.2.3",
                candidate("cpu", OTHER, "2026-01-01T12:00:00Z"),
                gates(DIGEST, "PASSED", "2026-01-01T11:00:00Z")); // rebuilt after the gates: a candidate again
        version(
                "1.2.4",
                candidate("cpu", DIGEST, "2026-01-01T10:00:00Z"),
                gates(DIGEST, "PASSED", "2026-01-01T11:00:00Z"),
                Map.entry("failure.json", failure("2026-01-01T12:00:00Z")));
        version(
                "1.2.5",
                candidate("cpu", DIGEST, "2026-01-01T10:00:00Z"),
                gates(DIGEST, "PASSED", "2026-01-01T11:00:00Z"),
                Map.entry("failure.json", failure("2026-01-01T09:00:00Z"))); // an older failure: gated since
        version(
                "1.2.6",
                candidate("cpu", DIGEST, "2026-01-01T10:00:00Z"),
                gates(DIGEST, "FAILED", "2026-01-01T11:00Z"));
        version(
                "1.2.7",
                candidate("cpu", DIGEST, "2026-01-01T10:00:00Z"),
                Map.entry(
                        "release.json",
                        "{\"version\":\"1.2.7\",\"execution\":\"arn:x\",\"releasedAt\":\"2026-01-02T00:00:00Z\"}"));
        version(
                "1.2.8",
                Map.entry(
                        "release.json",
                        "{\"version\":\"1.2.8\",\"execution\":\"arn:y\",\"releasedAt\":\"2026-01-02T00:00:00Z\"}"),
                Map.entry(
                        "yanked.json",
                        "{\"reason\":\"broken numpy\",\"by\":\"cli:me@host\",\"at\":\"2026-01-03T00:00:00Z\"}"));
        Trees.write(root.resolve("build_artifacts/v1/v1.2/v1.2.9/cpu.additional_packages_env.in"), "numpy\n");
        version("1.2.2-beta", candidate("cpu", DIGEST, "2026-01-01T10:00:00Z")); // inside v1.2.2
        version("1.2.2-rc.1"); // a dotted prerelease: named whole
    }

    @SafeVarargs
    private void version(String version, Map.Entry<String, String>... files) {
        String dir = io.smdrelease.version.ImageVersions.versionDir(VersionStatuses.exactly(version));
        TestTrees.copy(root.resolve("build_artifacts/v1/v1.2/v1.2.0"), root.resolve(dir));
        for (Map.Entry<String, String> file : files) {
            Trees.write(root.resolve(dir + "/" + file.getKey()), file.getValue());
        }
    }

    private static Map.Entry<String, String> candidate(String type, String digest, String at) {
        return Map.entry(
                "candidate-" + type + ".json",
                "{\"imageType\":\"" + type + "\",\"repository\":\"127.0.0.1:5000/staging\",\"tag\":\"candidate-x\","
                        + "\"digest\":\"" + digest + "\",\"pushedAt\":\"" + at + "\"}");
    }

    private static Map.Entry<String, String> gates(String digest, String status, String at) {
        return Map.entry(
                "gates.json",
                "{\"version\":\"v\",\"execution\":\"arn:gates\",\"evaluatedAt\":\"" + at + "\",\"digests\":{\"cpu\":\""
                        + digest + "\"},\"results\":[{\"gate\":\"tests\",\"imageType\":\"cpu\",\"status\":\"" + status
                        + "\",\"summary\":\"s\",\"findings\":[]}]}");
    }

    private static String failure(String at) {
        return "{\"stage\":\"Promote\",\"error\":\"Promote failed: PromotionFailedException\",\"cause\":\"refused."
                + " Next: fix it\",\"execution\":\"arn:failed\",\"failedAt\":\"" + at + "\"}";
    }

    @Test
    void everyVersion_newestFirst_withItsState() throws Exception {
        Map<String, String> states = new VersionStatuses(store)
                .list().stream()
                        .collect(Collectors.toMap(
                                VersionStatus::version,
                                s -> s.state().label(),
                                (a, b) -> a,
                                java.util.LinkedHashMap::new));
        assertEquals(
                List.of(
                        "1.2.8",
                        "1.2.7",
                        "1.2.6",
                        "1.2.5",
                        "1.2.4",
                        "1.2.3",
                        "1.2.2",
                        "1.2.2-rc.1",
                        "1.2.2-beta",
                        "1.2.1",
                        "1.2.0"),
                List.copyOf(states.keySet()),
                "newest first; 1.2.9 (only the release's input) and 1.3.0 are no versions yet");
        assertEquals("yanked", states.get("1.2.8"));
        assertEquals("released", states.get("1.2.7"));
        assertEquals("candidate", states.get("1.2.6"), "failed gates leave a candidate");
        assertEquals("gated", states.get("1.2.5"), "a failure older than the gates");
        assertEquals("failed", states.get("1.2.4"));
        assertEquals("candidate", states.get("1.2.3"), "gates judged other digests");
        assertEquals("gated", states.get("1.2.2"), "its prerelease's directory inside is not one of its files");
        assertEquals("candidate", states.get("1.2.2-beta"));
        assertEquals("candidate", states.get("1.2.1"));
        assertEquals("generated", states.get("1.2.0"));
    }

    @Test
    void status_carriesTheRecordsAndTheExecution() {
        VersionStatus failed = new VersionStatuses(store)
                .read(SemVer.parseImageVersion("1.2.4"))
                .orElseThrow();
        assertEquals("arn:failed", failed.execution());
        assertEquals("2026-01-01T12:00:00Z", failed.since());
        assertNotNull(failed.gates());
        assertEquals(DIGEST, failed.candidates().get("cpu").digest());
        VersionStatus gated = new VersionStatuses(store)
                .read(SemVer.parseImageVersion("1.2.2"))
                .orElseThrow();
        assertEquals("arn:gates", gated.execution());
        VersionStatus yanked = new VersionStatuses(store)
                .read(SemVer.parseImageVersion("1.2.8"))
                .orElseThrow();
        assertEquals("broken numpy", yanked.yank().reason());
        assertEquals("arn:y", yanked.execution());
        assertNull(new VersionStatuses(store)
                .read(SemVer.parseImageVersion("1.2.9"))
                .orElse(null));
    }
}
