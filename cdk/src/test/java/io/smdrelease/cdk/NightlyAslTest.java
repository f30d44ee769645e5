package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Static checks of statemachine/nightly.ASL.root().json: structure, transitions, retries, placeholders, failure path. */
class NightlyAslTest extends AslStructureTest {
    @Override
    AslDefinition definition() {
        return ASL;
    }

    @Override
    List<String> substitutions() {
        return NightlyStateMachine.SUBSTITUTIONS;
    }

    static final Path FILE = Path.of(PipelineConfig.DEFAULT_NIGHTLY_STATE_MACHINE_FILE);
    private static final AslDefinition ASL = AslDefinition.read(FILE);

    @Test
    void file_isJsonWithTheConsoleStateNames() {
        assertEquals("Plan nightly releases", ASL.root().get("StartAt").asText());
        assertEquals("Task", ASL.state("Plan nightly releases").get("Type").asText());
        assertEquals("Map", ASL.state("Start releases").get("Type").asText());
        assertEquals("Task", ASL.state("Start release").get("Type").asText());
        assertEquals("Fail", ASL.state("Nightly failed").get("Type").asText());
    }

    @Test
    void plan_invokesThePlanFunctionAndNeverRetriesUserErrors() {
        JsonNode plan = ASL.state("Plan nightly releases");
        assertEquals("arn:aws:states:::lambda:invoke", plan.get("Resource").asText());
        assertEquals(
                "${" + NightlyStateMachine.NIGHTLY_PLAN_FUNCTION_ARN + "}",
                plan.get("Parameters").get("FunctionName").asText());
        assertEquals(
                "$.Payload.releases",
                plan.get("ResultSelector").get("releases.$").asText());
        JsonNode first = plan.get("Retry").get(0);
        assertEquals(0, first.get("MaxAttempts").asInt());
        assertTrue(first.get("ErrorEquals").toString().contains("io.smdrelease.error.InvalidInputException"));
        boolean transient_ = false;
        for (JsonNode retrier : plan.get("Retry")) {
            String errors = retrier.get("ErrorEquals").toString();
            assertFalse(errors.contains("States.ALL") || errors.contains("States.TaskFailed"), "no catch-all retry");
            transient_ |= errors.contains("Lambda.TooManyRequestsException")
                    && retrier.get("MaxAttempts").asInt() > 1
                    && retrier.get("BackoffRate").asDouble() > 1;
        }
        assertTrue(transient_, "Lambda service errors are retried with backoff");
        assertTrue(
                plan.get("TimeoutSeconds").asInt()
                        > ReleaseFunctions.NIGHTLY_PLAN_TIMEOUT.toSeconds().intValue(),
                "the task waits longer than the function may run");
    }

    /** One release execution per planned entry, waited for; a failed one is recorded and the others go on. */
    @Test
    void startRelease_runsTheReleaseStateMachineSynchronouslyPerPlannedRelease() {
        JsonNode map = ASL.state("Start releases");
        assertEquals("$.releases", map.get("ItemsPath").asText());
        JsonNode start = ASL.state("Start release");
        assertEquals(
                "arn:aws:states:::states:startExecution.sync:2",
                start.get("Resource").asText());
        JsonNode parameters = start.get("Parameters");
        assertEquals(
                "${" + NightlyStateMachine.RELEASE_STATE_MACHINE_ARN + "}",
                parameters.get("StateMachineArn").asText());
        assertEquals("$.name", parameters.get("Name.$").asText());
        assertEquals("$.input", parameters.get("Input.$").asText());
        assertEquals(
                "[\"States.ALL\"]", start.get("Catch").get(0).get("ErrorEquals").toString());
        String caught = start.get("Catch").get(0).get("Next").asText();
        assertTrue(ASL.state(caught).path("End").asBoolean(false), "a failed release ends its iteration only");
        start.path("Retry")
                .forEach(r -> assertFalse(
                        r.get("ErrorEquals").toString().contains("States.TaskFailed"),
                        "a failed release is not started again in the same night"));
    }

    /** Issue 14: the nightly's output and its failure name each child's execution ARN, not only its name. */
    @Test
    void results_andFailure_nameEachChildsExecutionArn() {
        String arn = "States.Format('${" + NightlyStateMachine.RELEASE_EXECUTION_ARN_PREFIX + "}{}', $.name)";
        JsonNode failed = ASL.state("Release did not succeed").get("Parameters");
        assertEquals(arn, failed.get("executionArn.$").asText());
        assertEquals(arn, failed.get("failure").get("executionArn.$").asText());
        assertEquals(
                "$.execution.executionArn",
                ASL.state("Release succeeded")
                        .get("Parameters")
                        .get("executionArn.$")
                        .asText());
        assertEquals(
                "$.results[*].failure.executionArn",
                ASL.state("Summarize")
                        .get("Parameters")
                        .get("failedExecutions.$")
                        .asText());
        assertTrue(ASL.state("Describe nightly failure")
                .get("Parameters")
                .get("causeText.$")
                .asText()
                .contains("States.JsonToString($.failedExecutions)"));
    }

    @Test
    void everyFailure_endsInTheOneNightlyFailedState() {
        List<String> fails = ASL.states().entrySet().stream()
                .filter(e -> e.getValue().get("Type").asText().equals("Fail"))
                .map(Map.Entry::getKey)
                .toList();
        assertEquals(List.of("Nightly failed"), fails);
        JsonNode fail = ASL.state("Nightly failed");
        assertEquals("$.errorName", fail.get("ErrorPath").asText());
        assertEquals("$.causeText", fail.get("CausePath").asText());
        assertEquals(
                "Planning failed",
                ASL.state("Plan nightly releases")
                        .get("Catch")
                        .get(0)
                        .get("Next")
                        .asText());
        assertEquals("Nightly failed", ASL.state("Planning failed").get("Next").asText());
        JsonNode anyFailed = ASL.state("Any release failed?");
        assertEquals(
                "Describe nightly failure",
                anyFailed.get("Choices").get(0).get("Next").asText());
        assertEquals("Nightly succeeded", anyFailed.get("Default").asText());
        assertEquals(
                "Nightly failed",
                ASL.state("Describe nightly failure").get("Next").asText());
    }
}
