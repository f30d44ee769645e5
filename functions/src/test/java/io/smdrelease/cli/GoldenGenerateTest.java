package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.testsupport.Trees.CliResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real releases of SageMaker Distribution (../shared/fixtures/generate): the CLI on a copy of each case's input writes
 * exactly what the original tool wrote.
 */
class GoldenGenerateTest {
    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> everyGenerateCaseMatchesByteForByte() {
        List<Path> cases = Trees.sharedCases("generate");
        assertFalse(cases.isEmpty(), "no generate fixtures found");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> check(c)));
    }

    private void check(Path fixture) throws IOException {
        JsonNode spec = new ObjectMapper().readTree(fixture.resolve("case.json").toFile());
        Path root = work.resolve(fixture.getFileName().toString());
        Trees.copy(fixture.resolve("input"), root);
        String targetDir = spec.get("targetDir").asText();

        List<String> args = new ArrayList<>(List.of(
                spec.get("command").asText(),
                "--base-patch-version",
                spec.get("basePatchVersion").asText(),
                "--root",
                root.toString()));
        CliResult result = Trees.runCli(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("Created " + spec.get("targetVersion").asText()), result.out());

        Path expected = fixture.resolve("expected").resolve(targetDir);
        Path actual = root.resolve(targetDir);
        try (Stream<Path> files = Files.walk(expected)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path rel = expected.relativize(file);
                assertArrayEquals(
                        Files.readAllBytes(file),
                        Files.readAllBytes(actual.resolve(rel.toString())),
                        fixture.getFileName() + ": " + rel);
            }
        }
        checkCopiedFiles(fixture.resolve("input"), root, spec, actual);
    }

    /** Static files from the base, the per-minor template's Dockerfile and dirs/, and the assets. */
    private static void checkCopiedFiles(Path input, Path root, JsonNode spec, Path actual) throws IOException {
        String[] base = spec.get("basePatchVersion").asText().split("\\.");
        Path baseDir = input.resolve(
                "build_artifacts/v" + base[0] + "/v" + base[0] + "." + base[1] + "/v" + String.join(".", base));
        try (Stream<Path> files = Files.list(baseDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                boolean copied = name.equals("gpu.arg_based_env.in")
                        || name.equals("cpu.pinned_env.in")
                        || name.equals("gpu.pinned_env.in")
                        || name.startsWith("patch_");
                if (!name.endsWith(".env.in")) {
                    assertEquals(copied, Files.exists(actual.resolve(name)), name);
                }
                if (copied) {
                    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(actual.resolve(name)), name);
                }
            }
        }
        String[] target = spec.get("targetVersion").asText().split("\\.");
        Path template = root.resolve("template/v" + target[0] + "/v" + target[0] + "." + target[1]);
        assertArrayEquals(
                Files.readAllBytes(template.resolve("Dockerfile")), Files.readAllBytes(actual.resolve("Dockerfile")));
        assertEquals(Trees.snapshot(template.resolve("dirs")), Trees.snapshot(actual.resolve("dirs")));
        assertArrayEquals(
                Files.readAllBytes(input.resolve("assets/aws-cli-public-key.asc")),
                Files.readAllBytes(actual.resolve("aws-cli-public-key.asc")));
    }
}
