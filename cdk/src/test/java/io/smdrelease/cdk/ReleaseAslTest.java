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
            "MissingArtifactException",
            "GateFailedException",
            "TagConflictException",
            "PromotionFailedException",
            "SizeLimitExceededException");
    /** docs/contract.md names the simple class names; the Java Lambda runtime reports the fully qualified ones. */
    static final List<String> USER_ERRORS = java.util.stream.Stream.concat(
                    USER_ERROR_CLASSES.stream(), USER_ERROR_CLASSES.stream().map(name -> "io.smdrelease.error." + name))
            .toList();

    static final Set<String> WILDCARDS = Set.of("States.ALL", "States.TaskFailed");
    /** Each Lambda task state and the placeholder of the function it invokes (docs/contract.md). */
    static final Map<String, String> LAMBDA_TASKS = Map.of(
            "Generate artifacts", ReleaseStateMachine.GENERATE_FUNCTION_ARN,
            "Evaluate gates", ReleaseStateMachine.GATES_FUNCTION_ARN,
            "Wait for approval", ReleaseStateMachine.APPROVAL_FUNCTION_ARN,
            "Promote", ReleaseStateMachine.PROMOTE_FUNCTION_ARN,
            "Finalize release", ReleaseStateMachine.FINALIZE_FUNCTION_ARN,
            "Record failure", ReleaseStateMachine.FAILURE_FUNCTION_ARN);

    @Test
    void file_isJsonWithTheConsoleStateNames() {
        assertEquals("Generate artifacts", ASL.root().get("StartAt").asText());
        for (String name : LAMBDA_TASKS.keySet()) {
            assertEquals("Task", ASL.state(name).get("Type").asText(), name);
        }
        assertEquals("Map", ASL.state("Build candidates").get("Type").asText());
        assertEquals("Fail", ASL.state("Release failed").get("Type").asText());
        assertEquals("Succeed", ASL.state("Release succeeded").get("Type").asText());
    }

    @Test
    void lambdaTasks_invokeTheirFunctionThroughItsPlaceholder() {
        LAMBDA_TASKS.forEach((name, placeholder) -> assertEquals(
                "${" + placeholder + "}",
                ASL.state(name).get("Parameters").get("FunctionName").asText(),
                name));
        assertEquals(
                "arn:aws:states:::lambda:invoke.waitForTaskToken",
                ASL.state("Wait for approval").get("Resource").asText());
        assertEquals(
                "$$.Task.Token",
                ASL.state("Wait for approval")
                        .get("Parameters")
                        .get("Payload")
                        .get("taskToken.$")
                        .asText());
        assertEquals(
                86_400, ASL.state("Wait for approval").get("TimeoutSeconds").asInt(), "a day to answer");
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
        assertTrue(tasksWithRetry >= 7, "every Lambda task and the build retry transient errors: " + tasksWithRetry);
    }

    @Test
    void lambdaTasks_retryTransientAndLambdaServiceErrorsWithBackoff() {
        for (String name : LAMBDA_TASKS.keySet()) {
            JsonNode state = ASL.state(name);
            boolean found = false;
            for (JsonNode retrier : state.get("Retry")) {
                String errors = retrier.get("ErrorEquals").toString();
                if (errors.contains("Lambda.TooManyRequestsException")
                        && errors.contains("Lambda.ServiceException")
                        && errors.contains("io.smdrelease.lambda.TransientFailureException")) {
                    found = retrier.get("MaxAttempts").asInt() > 1
                            && retrier.get("BackoffRate").asDouble() > 1;
                }
            }
            assertTrue(found, name);
        }
    }

    @Test
    void buildMap_runsEveryPlannedBuildInParallelThroughCodeBuildSync() {
        JsonNode map = ASL.state("Build candidates");
        assertEquals("$.plan.builds", map.get("ItemsPath").asText());
        assertEquals(0, map.get("MaxConcurrency").asInt());
        JsonNode build = ASL.state("Build candidate");
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
        assertEquals("Candidate failed", build.get("Catch").get(0).get("Next").asText(), "one failure stops no other");
    }

    /** The two phases: candidates (built, gated), then, unless candidateOnly, approval and promotion. */
    @Test
    void phases_promoteOnlyGatedCandidates_andCandidateOnlyStopsBeforePromotion() {
        assertEquals(
                "Evaluate gates", ASL.state("Any build failed?").get("Default").asText());
        assertEquals("Candidates only?", ASL.state("Evaluate gates").get("Next").asText());
        assertEquals(
                "Candidates ready",
                ASL.state("Candidates only?").get("Choices").get(0).get("Next").asText());
        assertTrue(ASL.state("Candidates ready").get("End").asBoolean());
        assertEquals(
                "Approval required?",
                ASL.state("Candidates only?").get("Default").asText());
        assertEquals("Promote", ASL.state("Approval required?").get("Default").asText());
        assertEquals("Promote", ASL.state("Wait for approval").get("Next").asText());
        assertEquals("Finalize release", ASL.state("Promote").get("Next").asText());
        // promote: true skips the builds, never the gates' verdict
        assertEquals(
                "Evaluate gates",
                ASL.state("Promote existing candidates?")
                        .get("Choices")
                        .get(0)
                        .get("Next")
                        .asText());
        assertEquals(
                "$.plan",
                ASL.state("Finalize release")
                        .get("Parameters")
                        .get("Payload")
                        .get("plan.$")
                        .asText());
        assertEquals(
                "$.promotion",
                ASL.state("Finalize release")
                        .get("Parameters")
                        .get("Payload")
                        .get("promotion.$")
                        .asText());
    }

    /** Each top-level Catch leads, through a Pass naming the stage, to 'Record failure' and then 'Release failed'. */
    @Test
    void everyFailure_isRecordedNamingItsStage_thenEndsInReleaseFailed() {
        int catches = 0;
        for (var entry : ASL.states().entrySet()) {
            if (ASL.scopeOf().get(entry.getKey()) != ASL.root().get("States")
                    || entry.getKey().equals("Record failure")) {
                continue; // inside the Map, a caught build becomes {failed: true}; 'Any build failed?' routes it
            }
            for (JsonNode c : entry.getValue().path("Catch")) {
                catches++;
                assertEquals("[\"States.ALL\"]", c.get("ErrorEquals").toString());
                JsonNode described = ASL.state(c.get("Next").asText());
                assertEquals("Pass", described.get("Type").asText(), entry.getKey());
                assertEquals(
                        entry.getKey(), described.get("Parameters").get("stage").asText(), "the stage is named");
                assertEquals("$.failure", described.get("ResultPath").asText());
                assertEquals("Record failure", described.get("Next").asText());
            }
        }
        assertEquals(6, catches, "Generate, the Map, the gates, approval, Promote and Finalize");
        assertEquals(
                "Failed: candidate builds",
                ASL.state("Any build failed?").get("Choices").get(0).get("Next").asText());
        assertEquals(
                "Build candidates",
                ASL.state("Failed: candidate builds")
                        .get("Parameters")
                        .get("stage")
                        .asText());
        JsonNode record = ASL.state("Record failure");
        assertEquals("Release failed", record.get("Next").asText());
        assertEquals(
                "Release failed (unrecorded)",
                record.get("Catch").get(0).get("Next").asText());
        assertEquals(
                "$.described.error",
                ASL.state("Release failed").get("ErrorPath").asText());
        assertEquals(
                "$.described.cause",
                ASL.state("Release failed").get("CausePath").asText());
        assertFalse(ASL.text().contains("aws-sdk:s3"), "failure.json is the Failure function's");
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
