package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.testsupport.Trees;
import io.smdrelease.testsupport.Trees.CliResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands read the distribution's own image-configs.json, so a new base image or major needs no new jar. */
class DistributionImageConfigsTest {
    @TempDir
    Path root;

    private String builtIn;

    @BeforeEach
    void sample() {
        Trees.copy(Trees.examples(), root);
        builtIn = Trees.read(
                Trees.repoDir().resolve("functions/src/main/resources/io/smdrelease/artifacts/image-configs.json"));
    }

    @Test
    void planBuild_usesTheDistributionsBaseImage() {
        Trees.write(root.resolve("image-configs.json"), builtIn.replace("\"jammy\"", "\"noble\""));
        CliResult plan = Trees.runCli("plan-build", "--target-patch-version", "1.2.0", "--root", root.toString());
        assertEquals(0, plan.exitCode(), plan.err());
        assertTrue(plan.out().contains("\"TAG_FOR_BASE_MICROMAMBA_IMAGE\" : \"noble\""), plan.out());

        Trees.write(root.resolve("image-configs.json"), builtIn);
        CliResult again = Trees.runCli("plan-build", "--target-patch-version", "1.2.0", "--root", root.toString());
        assertTrue(again.out().contains("\"TAG_FOR_BASE_MICROMAMBA_IMAGE\" : \"jammy\""), again.out());
    }

    @Test
    void aMajorIsAnEntryInTheFile_andAMissingOneNamesTheFile() {
        Trees.copy(root.resolve("template/v1/v1.2"), root.resolve("template/v2/v2.0"));
        Trees.write(root.resolve("image-configs.json"), builtIn.replace("\"2\": [", "\"9\": ["));
        Map<String, String> before = Trees.snapshot(root);
        CliResult missing = Trees.runCli(
                "create-major-version-artifacts", "--base-patch-version", "1.2.0", "--root", root.toString());
        assertEquals(2, missing.exitCode(), missing.err());
        assertEquals(
                "error: no image configuration for major version 2 in " + root + "/image-configs.json (known: [0, 1, 3,"
                        + " 4, 9]): add an entry \"2\" to it",
                missing.err().strip());
        assertEquals(before, Trees.snapshot(root));

        Trees.write(root.resolve("image-configs.json"), builtIn);
        CliResult created = Trees.runCli(
                "create-major-version-artifacts", "--base-patch-version", "1.2.0", "--root", root.toString());
        assertEquals(0, created.exitCode(), created.err());
    }
}
