package io.smdrelease.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.testsupport.ModesFixture;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.testsupport.Trees.CliResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File modes and empty directories in a checkout (issue 13): what the original's {@code shutil.copy2} and
 * {@code copytree} keep, the generation keeps, {@code --force} staging included.
 */
class ArtifactGeneratorModesTest {
    static final Set<String> EXECUTABLES = Set.of(
            "dirs/usr/local/bin/entrypoint-jupyter-server",
            "dirs/etc/sagemaker-inference-server/serve",
            "download_amazon_q_agentic_chat_artifacts.sh");
    static final String EMPTY_DIR = "dirs/var/log/jupyter";

    @TempDir
    Path tmp;

    static Set<String> executables(Map<String, String> modes) {
        Set<String> out = new TreeSet<>();
        modes.forEach((path, mode) -> {
            if (mode.equals("0755")) {
                out.add(path);
            }
        });
        return out;
    }

    /** Checks a generated version directory: the executables, nothing else executable, the empty directory. */
    static void assertModes(Path versionDir) throws IOException {
        Map<String, String> modes = ModesFixture.modes(versionDir);
        assertEquals(new TreeSet<>(EXECUTABLES), executables(modes), modes.toString());
        assertEquals("dir", modes.get(EMPTY_DIR), modes.toString());
        try (var entries = Files.list(versionDir.resolve(EMPTY_DIR))) {
            assertEquals(0, entries.count(), "the empty directory stays empty");
        }
    }

    private static void run(String... args) {
        CliResult result = Trees.runCli(args);
        assertEquals(0, result.exitCode(), result.err());
    }

    @Test
    void createsPatch_keepsExecutablesAndEmptyDirectories_alsoWithForce() throws IOException {
        Path root = ModesFixture.create(tmp.resolve("repo"));
        Path version = root.resolve("build_artifacts/v1/v1.2/v1.2.1");
        run("create-patch-version-artifacts", "--base-patch-version", "1.2.0", "--root", root.toString());
        assertModes(version);
        Map<String, String> first = ModesFixture.modes(version);

        run("create-patch-version-artifacts", "--base-patch-version", "1.2.0", "--force", "--root", root.toString());
        assertEquals(first, ModesFixture.modes(version), "--force builds the same tree in its staging directory");
    }

    @Test
    void createsMinor_copiesTheTemplateWithItsModesAndEmptyDirectories() throws IOException {
        Path root = ModesFixture.create(tmp.resolve("repo"));
        run("create-minor-version-artifacts", "--base-patch-version", "1.2.0", "--root", root.toString());
        assertEquals(
                ModesFixture.modes(root.resolve("template/v1/v1.2")),
                ModesFixture.modes(root.resolve("template/v1/v1.3")),
                "the new minor's template is a copy of the previous one, modes and empty directories included");
        assertModes(root.resolve("build_artifacts/v1/v1.3/v1.3.0"));
        assertTrue(Files.isRegularFile(root.resolve("build_artifacts/v1/v1.3/v1.3.0/cpu.additional_packages_env.in")));
    }
}
