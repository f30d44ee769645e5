package io.smdrelease.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.testsupport.Trees;
import io.smdrelease.testsupport.Trees.CliResult;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class BuildCommandTest {

    /** The CLI runs exactly what CodeBuild runs after installing its tools. */
    @Test
    @SuppressWarnings("unchecked")
    void runsTheScriptsOfTheBuildspecInItsOrder() throws Exception {
        Map<String, Object> buildspec;
        try (Reader in = Files.newBufferedReader(Trees.repoDir().resolve("buildspecs/build.yml"))) {
            buildspec = new Yaml().load(in);
        }
        Map<String, Object> phases = (Map<String, Object>) buildspec.get("phases");
        List<String> scripts = new ArrayList<>();
        for (String phase : List.of("pre_build", "build")) {
            for (String command : (List<String>) ((Map<String, Object>) phases.get(phase)).get("commands")) {
                scripts.add(command.replace("bash buildspecs/scripts/", ""));
            }
        }
        assertEquals(scripts, LocalBuilds.SCRIPTS);
    }

    @Test
    void takesTheOriginalToolsFlagsAndExplainsExitCodes() {
        CliResult help = Trees.runCli("build", "--help");
        assertEquals(0, help.exitCode());
        for (String flag :
                List.of("--target-patch-version", "--skip-tests", "--force", "--target-ecr-repo", "--region")) {
            assertTrue(help.out().contains(flag), flag);
        }
        assertTrue(help.out().contains("3   A build, test or push step failed"), help.out());
    }

    @Test
    void aVersionWithoutArtifactsIsAUserError() {
        CliResult result = Trees.runCli(
                "build",
                "--target-patch-version",
                "1.9.9",
                "--root",
                Trees.examples().toString());
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains("1.9.9"), result.err());
    }
}
