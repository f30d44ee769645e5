package io.smdrelease.lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.cli.LocalBuilds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's own contract, over scripts that record what they were given (LocalPipelineIT runs the real
 * buildspecs/scripts): the buildspec's steps in order with the task's environment over the machine's, the answer
 * startBuild.sync gives, and a failure that names the image type, the step and its first error line.
 */
class LocalCodeBuildTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST = """
            {"ProjectName": "smd-release-build-cpu", "EnvironmentVariablesOverride": [
              {"Name": "IMAGE_TYPE", "Value": "cpu", "Type": "PLAINTEXT"},
              {"Name": "CANDIDATE_TAG", "Value": "candidate-1.2.1-cpu-run", "Type": "PLAINTEXT"},
              {"Name": "STAGING_REPO", "Value": "127.0.0.1:4566/staging", "Type": "PLAINTEXT"}]}
            """;

    @TempDir
    Path dir;

    private final List<String> recorded = new ArrayList<>();

    private Path scripts(String failing) throws IOException {
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        for (String script : LocalBuilds.SCRIPTS) {
            String body = script.equals(failing)
                    ? "echo 'Error: building at STEP 4/5: exit status 1' >&2; echo \"12:00:00 [x] ERROR: nothing provides"
                            + " requested polars\" >&2; exit 1"
                    : "echo \"$IMAGE_TYPE $STAGING_REPO $CONTAINER_ENGINE $WORK_DIR\" >> " + dir.resolve("steps");
            Files.writeString(scripts.resolve(script), "#!/bin/bash\n" + body + "\n");
        }
        return scripts;
    }

    private LocalCodeBuild build(Path scripts) {
        return new LocalCodeBuild(
                scripts,
                dir.resolve("work"),
                Map.of("CONTAINER_ENGINE", "buildah", "STAGING_REPO", "overridden"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                (project, log) -> {
                    recorded.add(project + " " + Files.readString(log).lines().count());
                    return project + ":recorded";
                },
                Clock.systemUTC());
    }

    @Test
    void runsTheBuildspecsSteps_inOrder_withTheTasksEnvironment_andAnswersAsStartBuildSync() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        build(scripts(null))
                .handleRequest(new ByteArrayInputStream(REQUEST.getBytes(StandardCharsets.UTF_8)), out, null);
        JsonNode answer = JSON.readTree(out.toByteArray()).get("Build");
        assertEquals("smd-release-build-cpu:recorded", answer.get("Id").asText());
        assertEquals("SUCCEEDED", answer.get("BuildStatus").asText());
        String work = dir.resolve("work/builds/candidate-1.2.1-cpu-run").toString();
        assertEquals(
                List.of(
                        "cpu 127.0.0.1:4566/staging buildah " + work,
                        "cpu 127.0.0.1:4566/staging buildah " + work,
                        "cpu 127.0.0.1:4566/staging buildah " + work,
                        "cpu 127.0.0.1:4566/staging buildah " + work,
                        "cpu 127.0.0.1:4566/staging buildah " + work),
                Files.readAllLines(dir.resolve("steps")));
        assertEquals(List.of("smd-release-build-cpu 1"), recorded);
        assertTrue(Files.readString(dir.resolve("work/logs/candidate-1.2.1-cpu-run.log"))
                .startsWith("the cpu build succeeded in "));
    }

    @Test
    void aFailedStep_failsNamingTheImageTypeTheStepAndItsError_andRunsNoLaterStep() throws Exception {
        LocalCodeBuild.BuildFailedException failed = assertThrows(
                LocalCodeBuild.BuildFailedException.class,
                () -> build(scripts("build-image.sh"))
                        .handleRequest(
                                new ByteArrayInputStream(REQUEST.getBytes(StandardCharsets.UTF_8)),
                                new ByteArrayOutputStream(),
                                null));
        Path log = dir.resolve("work/logs/candidate-1.2.1-cpu-run.log");
        assertEquals(
                "the cpu build failed in build-image (exit 1): nothing provides requested polars; log: " + log,
                failed.getMessage());
        assertEquals(1, Files.readAllLines(dir.resolve("steps")).size(), "fetch only");
        assertFalse(recorded.iterator().hasNext(), "a failed build is not recorded as a build that succeeded");
        assertTrue(Files.readString(log).contains("exit status 1"));
    }
}
