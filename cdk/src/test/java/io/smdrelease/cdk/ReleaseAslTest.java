package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Static checks of statemachine/release.asl.json: structure, transitions, retries, placeholders, failure path. */
class ReleaseAslTest extends AslStructureTest {
    @Override
    AslDefinition definition() {
        return ASL;
    }

    @Override
    List<String> substitutions() {
        return ReleaseStateMachine.SUBSTITUTIONS;
    }

    static final Path FILE = Path.of(PipelineConfig.DEFAULT_STATE_MACHINE_FILE);
    private static final AslDefinition ASL = AslDefinition.read(FILE);
    static final List<String> USER_ERROR_CLASSES = List.of(
            "InvalidInputException",
            "BaseNotFoundException",
            "VersionExistsException",
            "VersionLockedException",
            "MissingArtifactException");
    /** docs/contract.md names the simple class names; the Java Lambda runtime reports the fully qualified ones. */
    static final List<String> USER_ERRORS = java.util.stream.Stream.concat(
                    USER_ERROR_CLASSES.stream(), USER_ERROR_CLASSES.stream().map(name -> "io.smdrelease.error." + name))
            .toList();

    static final Set<String> WILDCARDS = Set.of("States.ALL", "States.TaskFailed");

    @Test
    void file_isJsonWithTheConsoleStateNames() {
        assertEquals("Generate artifacts", ASL.root().get("StartAt").asText());
        for (String name : List.of(
                "Generate artifacts", "Build images", "Build, test and push", "Finalize release", "Release failed")) {
            assertTrue(ASL.states().containsKey(name), "state " + name);
        }
        assertEquals("Task", ASL.state("Generate artifacts").get("Type").asText());
        assertEquals("Map", ASL.state("Build images").get("Type").asText());
        assertEquals("Fail", ASL.state("Release failed").get("Type").asText());
    }

    @Test
    void retries_neverRetryUserErrors() {
        int tasksWithRetry = 0;
        for (var entry : ASL.states().entrySet()) {
            JsonNode retry = entry.getValue().get("Retry");
            if (retry == null) {
                continue;
            }
            tasksWithRetry++;
            for (String error : USER_ERRORS) {
                // Step Functions uses the first retrier whose ErrorEquals matches (a name, States.ALL or
                // States.TaskFailed)
                for (JsonNode retrier : retry) {
                    List<String> names = new ArrayList<>();
                    retrier.get("ErrorEquals").forEach(n -> names.add(n.asText()));
                    if (names.contains(error) || names.stream().anyMatch(WILDCARDS::contains)) {
                        assertEquals(
                                0,
                                retrier.path("MaxAttempts").asInt(3),
                                entry.getKey() + ": the first retrier matching " + error + " must have MaxAttempts 0: "
                                        + retrier);
                        break;
                    }
                }
            }
        }
        assertTrue(tasksWithRetry >= 3, "Generate, Build and Finalize retry transient errors");
    }

    @Test
    void lambdaTasks_retryLambdaServiceErrorsWithBackoff() {
        for (String name : List.of("Generate artifacts", "Check image sizes", "Finalize release")) {
            JsonNode state = ASL.state(name);
            assertEquals("arn:aws:states:::lambda:invoke", state.get("Resource").asText());
            boolean found = false;
            for (JsonNode retrier : state.get("Retry")) {
                String errors = retrier.get("ErrorEquals").toString();
                if (errors.contains("Lambda.TooManyRequestsException") && errors.contains("Lambda.ServiceException")) {
                    found = retrier.get("MaxAttempts").asInt() > 1
                            && retrier.get("BackoffRate").asDouble() > 1;
                }
            }
            assertTrue(found, name);
        }
    }

    @Test
    void buildMap_runsEveryPlannedBuildInParallelThroughCodeBuildSync() {
        JsonNode map = ASL.state("Build images");
        assertEquals("$.plan.builds", map.get("ItemsPath").asText());
        assertEquals(0, map.get("MaxConcurrency").asInt());
        JsonNode build = ASL.state("Build, test and push");
        assertEquals(
                "arn:aws:states:::codebuild:startBuild.sync",
                build.get("Resource").asText());
        assertEquals(
                "$.projectName", build.get("Parameters").get("ProjectName.$").asText());
        assertEquals(
                "$.environment",
                build.get("Parameters").get("EnvironmentVariablesOverride.$").asText());
        JsonNode retry = build.get("Retry");
        assertNotNull(retry);
        retry.forEach(r -> assertFalse(
                r.get("ErrorEquals").toString().contains("States.TaskFailed"), "a failed build is not retried"));
    }

    @Test
    void finalize_receivesThePlanAndTheBuildResults() {
        JsonNode payload = ASL.state("Finalize release").get("Parameters").get("Payload");
        assertEquals("$.plan", payload.get("plan.$").asText());
        assertEquals("$.builds", payload.get("builds.$").asText());
    }

    /** Each Catch leads, through Pass/Task states, to the single Fail state, which names stage and image type. */
    @Test
    void everyFailure_endsInTheOneReleaseFailedState() {
        List<String> fails = ASL.states().entrySet().stream()
                .filter(e -> e.getValue().get("Type").asText().equals("Fail"))
                .map(Map.Entry::getKey)
                .toList();
        assertEquals(List.of("Release failed"), fails);
        JsonNode fail = ASL.state("Release failed");
        assertEquals("$.failure.errorName", fail.get("ErrorPath").asText());
        assertEquals("$.failure.causeText", fail.get("CausePath").asText());

        int catches = 0;
        for (var entry : ASL.states().entrySet()) {
            if (ASL.scopeOf().get(entry.getKey()) != ASL.root().get("States")) {
                continue; // inside the Map, a caught build becomes {failed: true}; 'Any build failed?' routes it
            }
            for (JsonNode c : entry.getValue().path("Catch")) {
                catches++;
                assertEquals("[\"States.ALL\"]", c.get("ErrorEquals").toString());
                String state = c.get("Next").asText();
                int hops = 0;
                while (!state.equals("Release failed")) {
                    assertTrue(++hops < 5, entry.getKey() + " catch does not reach Release failed");
                    JsonNode next = ASL.state(state);
                    assertTrue(List.of("Pass", "Task").contains(next.get("Type").asText()), state);
                    state = next.get("Next").asText();
                }
            }
        }
        assertTrue(
                catches >= 5, "Generate, the Map, the size gate, Finalize and Record failure catch errors: " + catches);
        assertEquals(
                "Describe build failure",
                ASL.state("Any build failed?").get("Choices").get(0).get("Next").asText());
    }

    @Test
    void failureDescriptions_nameStageImageTypeAndWhereFailureJsonGoes() {
        for (var entry : ASL.states().entrySet()) {
            if (!entry.getKey().startsWith("Describe ")) {
                continue;
            }
            JsonNode p = entry.getValue().get("Parameters");
            for (String field :
                    List.of("stage", "imageType", "error", "cause", "execution", "key", "errorName", "causeText")) {
                assertTrue(p.has(field) || p.has(field + ".$"), entry.getKey() + " sets " + field);
            }
            assertEquals("$.failure", entry.getValue().get("ResultPath").asText());
            assertEquals("Record failure", entry.getValue().get("Next").asText());
        }
        assertTrue(ASL.state("Describe build failure")
                .get("Parameters")
                .get("imageType.$")
                .asText()
                .startsWith("$.check.failures[0]"));
        assertTrue(ASL.state("Describe generate failure")
                .get("Parameters")
                .get("key.$")
                .asText()
                .contains("failures/{}.json"));
        JsonNode record = ASL.state("Record failure");
        assertEquals(
                "arn:aws:states:::aws-sdk:s3:putObject", record.get("Resource").asText());
        assertEquals("$.failure.key", record.get("Parameters").get("Key.$").asText());
    }

    /** Builds succeeded → 'Validate image sizes?' → (validateSize) 'Check image sizes' → 'Finalize release'. */
    @Test
    void sizeGate_runsOnlyWithValidateSize_betweenTheBuildsAndFinalize() {
        assertEquals(
                "Validate image sizes?",
                ASL.state("Any build failed?").get("Default").asText());
        JsonNode choice = ASL.state("Validate image sizes?");
        assertEquals("Choice", choice.get("Type").asText());
        assertEquals("Finalize release", choice.get("Default").asText());
        assertEquals(1, choice.get("Choices").size());
        JsonNode rule = choice.get("Choices").get(0);
        assertEquals("Check image sizes", rule.get("Next").asText());
        // a plan without the field (an older Generate) must not fail the Choice: IsPresent first, then the value
        assertEquals(
                "[{\"Variable\":\"$.plan.validateSize\",\"IsPresent\":true},"
                        + "{\"Variable\":\"$.plan.validateSize\",\"BooleanEquals\":true}]",
                rule.get("And").toString());

        JsonNode gate = ASL.state("Check image sizes");
        assertEquals(
                "${" + ReleaseStateMachine.SIZE_GATE_FUNCTION_ARN + "}",
                gate.get("Parameters").get("FunctionName").asText());
        assertEquals(
                "{\"plan.$\":\"$.plan\"}", gate.get("Parameters").get("Payload").toString());
        assertEquals("$.sizeGate", gate.get("ResultPath").asText(), "the plan and the builds stay for Finalize");
        assertEquals("Finalize release", gate.get("Next").asText());
        assertEquals(1, gate.get("Catch").size());
        assertEquals(
                "Describe size gate failure",
                gate.get("Catch").get(0).get("Next").asText());
        assertEquals(
                "Check image sizes",
                ASL.state("Describe size gate failure")
                        .get("Parameters")
                        .get("stage")
                        .asText());
        assertTrue(ASL.state("Describe size gate failure")
                .get("Parameters")
                .get("errorName.$")
                .asText()
                .startsWith("States.Format('Check image sizes failed"));
    }

    /** The gate's verdict is a user error: the first retrier matching it (by either name) must not retry. */
    @Test
    void sizeGate_neverRetriesSizeLimitExceeded() {
        for (String error : List.of("SizeLimitExceededException", "io.smdrelease.error.SizeLimitExceededException")) {
            JsonNode first = null;
            for (JsonNode retrier : ASL.state("Check image sizes").get("Retry")) {
                List<String> names = new ArrayList<>();
                retrier.get("ErrorEquals").forEach(n -> names.add(n.asText()));
                if (names.contains(error) || names.stream().anyMatch(WILDCARDS::contains)) {
                    first = retrier;
                    break;
                }
            }
            assertNotNull(first, error);
            assertTrue(first.get("ErrorEquals").toString().contains("\"" + error + "\""), first.toString());
            assertEquals(0, first.get("MaxAttempts").asInt(3), error);
        }
    }

    /** MiniStack (and other emulators) resolve plain, index and wildcard paths but not filter expressions. */
    @Test
    void paths_useNoFilterOrRecursiveDescentExpressions() {
        assertFalse(ASL.text().contains("[?("), "no JSONPath filter expressions");
        assertFalse(ASL.text().contains("$.."), "no recursive descent");
    }

    @Test
    void brokenDefinition_failsSynthesisNamingTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("release.asl.json"), "{\"StartAt\": ");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> AslFile.definitionBody(broken));
        assertTrue(
                e.getMessage().contains(broken.toString()) && e.getMessage().contains("not valid JSON"),
                e.getMessage());
    }
}
