package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.TestTrees;
import io.smdrelease.testsupport.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published changelogs and release notes of real releases (../shared/fixtures/changelog/&lt;case&gt;), regenerated
 * through the CLI from a copy of each case's input and compared byte for byte. Every case's input holds the target's
 * {@code source-version.txt} (the base, as create-*-version-artifacts wrote it), so nothing is added to the copy.
 */
class ChangelogGoldenTest {
    private static final List<String> FILES = List.of("CHANGELOG-cpu.md", "CHANGELOG-gpu.md", "RELEASE.md");

    @TempDir
    Path temp;

    static Stream<String> cases() {
        return Trees.sharedCases("changelog").stream().map(p -> p.getFileName().toString());
    }

    private static Path casesDir() {
        return Trees.sharedDir().resolve("fixtures/changelog");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void generateChangelog_reproducesPublishedFiles(String name) throws IOException {
        Path caseDir = casesDir().resolve(name);
        JsonNode spec = new ObjectMapper().readTree(caseDir.resolve("case.json").toFile());
        String targetDir = spec.get("targetDir").asText();
        Path root = TestTrees.copy(caseDir.resolve("input"), temp.resolve("repo"));
        assertEquals(
                spec.get("basePatchVersion").asText(),
                Files.readString(root.resolve(targetDir).resolve("source-version.txt"))
                        .strip(),
                "the case's input records its base in source-version.txt");

        CliRun run = CliRun.of(
                "generate-changelog",
                "--root",
                root.toString(),
                "--target-patch-version",
                spec.get("targetVersion").asText());

        assertEquals(0, run.exitCode(), run.err());
        for (String file : FILES) {
            assertArrayEquals(
                    Files.readAllBytes(
                            caseDir.resolve("expected").resolve(targetDir).resolve(file)),
                    Files.readAllBytes(root.resolve(targetDir).resolve(file)),
                    name + " " + file);
        }
    }
}
