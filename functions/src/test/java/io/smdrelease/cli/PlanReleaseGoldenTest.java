package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.TestTrees;
import io.smdrelease.testsupport.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * plan-release --json previews exactly the env.in lines that create-*-version-artifacts wrote for the real
 * transitions in ../shared/fixtures/generate/&lt;case&gt;, and writes nothing.
 */
class PlanReleaseGoldenTest {
    @TempDir
    Path temp;

    static Stream<String> cases() {
        return Trees.sharedCases("generate").stream().map(p -> p.getFileName().toString());
    }

    private static Path casesDir() {
        return Trees.sharedDir().resolve("fixtures/generate");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void planRelease_previewsTheGeneratedEnvIn(String name) throws IOException {
        Path caseDir = casesDir().resolve(name);
        JsonNode spec = new ObjectMapper().readTree(caseDir.resolve("case.json").toFile());
        String type = spec.get("command").asText().replace("create-", "").replace("-version-artifacts", "");
        Path root = TestTrees.copy(caseDir.resolve("input"), temp.resolve("repo"));
        String targetDir = spec.get("targetDir").asText();
        boolean targetExisted = Files.exists(root.resolve(targetDir).resolve("cpu.env.in"));

        CliRun run = CliRun.of(
                "plan-release",
                "--root",
                root.toString(),
                "--base-patch-version",
                spec.get("basePatchVersion").asText(),
                "--release-type",
                type,
                "--json");

        assertEquals(0, run.exitCode(), run.err());
        JsonNode preview = new ObjectMapper().readTree(run.out());
        assertEquals(
                spec.get("targetVersion").asText(), preview.get("targetVersion").asText());
        for (JsonNode image : preview.get("images")) {
            String imageType = image.get("imageType").asText();
            List<String> lines = new ArrayList<>();
            lines.add("# This file is auto-generated.");
            image.get("packages").forEach(p -> lines.add(p.get("newSpec").asText()));
            String expected = Files.readString(
                    caseDir.resolve("expected").resolve(targetDir).resolve(imageType + ".env.in"));
            assertEquals(expected, String.join("\n", lines) + "\n", name + " " + imageType);
        }
        assertEquals(targetExisted, Files.exists(root.resolve(targetDir).resolve("cpu.env.in")), "nothing written");
    }
}
