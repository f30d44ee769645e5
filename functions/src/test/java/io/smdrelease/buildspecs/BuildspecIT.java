package io.smdrelease.buildspecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.testsupport.LocalRegistry;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** buildspecs/build.yml: its shape, the scripts it calls, and a run of all its phases the way CodeBuild runs them. */
class BuildspecIT {

    /** A command of build.yml: {@code bash buildspecs/scripts/<name>.sh}, nothing else. */
    private static final Pattern COMMAND = Pattern.compile("bash (buildspecs/scripts/[A-Za-z0-9._-]+\\.sh)");

    private static final List<String> PHASE_ORDER = List.of("install", "pre_build", "build", "post_build");

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    static Map<String, Object> buildspec() throws Exception {
        try (Reader reader = Files.newBufferedReader(BuildScripts.repoDir().resolve("buildspecs/build.yml"))) {
            Object parsed = new Yaml().load(reader);
            assertInstanceOf(Map.class, parsed, "build.yml is a mapping");
            return (Map<String, Object>) parsed;
        }
    }

    /** Phase name to its commands, in CodeBuild's phase order. */
    @SuppressWarnings("unchecked")
    static Map<String, List<String>> phases(Map<String, Object> buildspec) {
        Map<String, Object> phases = (Map<String, Object>) buildspec.get("phases");
        Map<String, List<String>> commands = new LinkedHashMap<>();
        for (String phase : PHASE_ORDER) {
            if (phases.containsKey(phase)) {
                Map<String, Object> body = (Map<String, Object>) phases.get(phase);
                commands.put(phase, (List<String>) body.get("commands"));
            }
        }
        assertEquals(phases.size(), commands.size(), "only CodeBuild phases: " + phases.keySet());
        return commands;
    }

    @Test
    void buildspecParses_version02_bashShell_phasesAbortOnFailure() throws Exception {
        Map<String, Object> buildspec = buildspec();
        assertEquals("0.2", String.valueOf(buildspec.get("version")));
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) buildspec.get("env");
        assertEquals("bash", env.get("shell"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> phases = (Map<String, Map<String, Object>>) buildspec.get("phases");
        phases.forEach((name, phase) -> assertEquals("ABORT", phase.get("on-failure"), name));
        List<String> build = phases(buildspec).get("build");
        assertEquals(
                List.of("build-image.sh", "export-env.sh", "run-tests.sh", "push.sh"),
                build.stream().map(c -> c.substring(c.lastIndexOf('/') + 1)).toList(),
                "build, env.out, tests before push");
    }

    @Test
    void buildspecReferencesOnlyExistingExecutableScripts() throws Exception {
        List<String> referenced = new ArrayList<>();
        phases(buildspec()).forEach((phase, commands) -> {
            assertFalse(commands.isEmpty(), phase + " has commands");
            for (String command : commands) {
                Matcher matcher = COMMAND.matcher(command);
                assertTrue(matcher.matches(), phase + ": '" + command + "' is not 'bash buildspecs/scripts/<name>.sh'");
                referenced.add(matcher.group(1));
            }
        });
        for (String script : referenced) {
            Path file = BuildScripts.repoDir().resolve(script);
            assertTrue(Files.isRegularFile(file), script + " exists");
            assertTrue(Files.isExecutable(file), script + " is executable");
        }
        assertEquals(6, referenced.size(), referenced.toString());
    }

    @Test
    void scriptsAreStrictAndShellcheckClean() throws Exception {
        LocalRegistry.requireTools("shellcheck");
        List<String> command = new ArrayList<>(List.of("shellcheck", "-x"));
        try (Stream<Path> files = Files.list(BuildScripts.scriptsDir())) {
            for (Path script :
                    files.filter(f -> f.toString().endsWith(".sh")).sorted().toList()) {
                command.add(script.toString());
                if (!script.getFileName().toString().equals("lib.sh")) {
                    assertTrue(
                            BuildScripts.read(script).contains("\nset -euo pipefail\n"),
                            script + " sets -euo pipefail");
                }
            }
        }
        Path bench = BuildScripts.repoDir().resolve("buildspecs/bench/push-bench.sh");
        if (Files.exists(bench)) {
            command.add(bench.toString());
        }
        command.add(
                BuildScripts.repoDir().resolve("scripts/install-test-tools.sh").toString());
        var result = BuildScripts.run(dir, Map.of(), command);
        assertEquals(0, result.exitCode(), result.output());
    }

    /**
     * Every command of every phase, in order, through bash from the repository root, the way CodeBuild runs them
     * (its start-build variables override the buildspec's): local mode, buildah, passing image tests, three local
     * registries.
     */
    @Test
    void allPhasesRun_localMode_testsPass_candidateInStaging_releaseRegistriesUntouched() throws Exception {
        BuildScripts.requireBuildTools();
        LocalRegistry.assumeInstalled();
        Map<String, Object> buildspec = buildspec();
        List<LocalRegistry> registries = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                registries.add(LocalRegistry.start(dir.resolve("registry-" + i)));
            }
            List<String> repos = registries.stream()
                    .map(r -> r.repository("sagemaker-distribution"))
                    .toList();
            Path version = BuildScripts.versionDir(dir.resolve("artifacts/version"));
            Path tests = BuildScripts.distributionTests(dir.resolve("artifacts/test"), 4, false);
            Map<String, String> env = new HashMap<>();
            @SuppressWarnings("unchecked")
            Map<String, Object> variables =
                    (Map<String, Object>) ((Map<String, Object>) buildspec.get("env")).get("variables");
            variables.forEach((k, v) -> env.put(k, String.valueOf(v)));
            env.putAll(BuildScripts.localEnv(dir.resolve("storage"), dir.resolve("work"), version, tests));
            String stagingRepo = registries.get(0).repository("staging/sagemaker-distribution");
            env.put("STAGING_REPO", stagingRepo);
            env.put("TARGET_ECR_REPOS", String.join(" ", repos.subList(1, 3)));

            boolean repoWorkDirExisted = Files.exists(BuildScripts.repoDir().resolve("work"));
            StringBuilder output = new StringBuilder();
            for (var phase : phases(buildspec).entrySet()) {
                for (String command : phase.getValue()) {
                    var result = BuildScripts.run(BuildScripts.repoDir(), env, List.of("bash", "-c", command));
                    output.append("[")
                            .append(phase.getKey())
                            .append("] $ ")
                            .append(command)
                            .append('\n')
                            .append(result.output());
                    assertEquals(0, result.exitCode(), output.toString());
                }
            }

            assertTrue(output.toString().matches("(?s).*passed +numpy\\.test\\.Dockerfile.*"), output.toString());
            JsonNode tested = new ObjectMapper()
                    .readTree(version.resolve("test-report-cpu.json").toFile());
            assertEquals(0, tested.at("/summary/failed").asInt(), tested.toString());
            assertEquals(2, tested.at("/summary/passed").asInt(), tested.toString());
            byte[] expected = Files.readAllBytes(BuildScripts.resources().resolve("expected/cpu.env.out"));
            assertEquals(new String(expected), BuildScripts.read(version.resolve("cpu.env.out")));
            JsonNode candidate = new ObjectMapper()
                    .readTree(version.resolve("candidate-cpu.json").toFile());
            assertEquals(
                    BuildScripts.remoteDigest(stagingRepo, BuildScripts.CANDIDATE_TAG),
                    candidate.get("digest").asText());
            assertEquals(
                    List.of("staging/sagemaker-distribution"),
                    BuildScripts.catalog(registries.get(0).hostPort()));
            for (LocalRegistry release : registries.subList(1, 3)) {
                assertEquals(List.of(), BuildScripts.catalog(release.hostPort()), "no release repository is touched");
            }
            if (!repoWorkDirExisted) {
                assertFalse(
                        Files.exists(BuildScripts.repoDir().resolve("work")),
                        "the WORK_DIR override kept the repo clean");
            }
        } finally {
            registries.forEach(LocalRegistry::close);
        }
    }
}
