package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Static checks of statemachine/nightly.asl.json: structure, transitions, retries, placeholders, failure path. */
class NightlyAslTest {
  static final Path FILE = Path.of(PipelineConfig.DEFAULT_NIGHTLY_STATE_MACHINE_FILE);

  private static String text;
  private static JsonNode asl;
  /** Every state of the machine and of the Map's processor, by name, with the states of its own scope. */
  private static final Map<String, JsonNode> STATES = new LinkedHashMap<>();
  private static final Map<String, JsonNode> SCOPE_OF = new LinkedHashMap<>();

  @BeforeAll
  static void parse() throws IOException {
    text = Files.readString(FILE);
    asl = new ObjectMapper().readTree(text);
    collect(asl);
  }

  private static void collect(JsonNode machine) {
    JsonNode states = machine.get("States");
    states.properties().forEach(entry -> {
      assertFalse(STATES.containsKey(entry.getKey()), "state names are unique: " + entry.getKey());
      STATES.put(entry.getKey(), entry.getValue());
      SCOPE_OF.put(entry.getKey(), states);
      JsonNode processor = processor(entry.getValue());
      if (processor != null) {
        collect(processor);
      }
      entry.getValue().path("Branches").forEach(NightlyAslTest::collect);
    });
  }

  private static JsonNode processor(JsonNode state) {
    return state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
  }

  @Test
  void file_isJsonWithTheConsoleStateNames() {
    assertEquals("Plan nightly releases", asl.get("StartAt").asText());
    assertEquals("Task", STATES.get("Plan nightly releases").get("Type").asText());
    assertEquals("Map", STATES.get("Start releases").get("Type").asText());
    assertEquals("Task", STATES.get("Start release").get("Type").asText());
    assertEquals("Fail", STATES.get("Nightly failed").get("Type").asText());
  }

  @Test
  void everyTransition_pointsAtAStateOfTheSameScope() {
    List<String> broken = new ArrayList<>();
    for (var entry : STATES.entrySet()) {
      JsonNode scope = SCOPE_OF.get(entry.getKey());
      for (String target : targets(entry.getValue())) {
        if (!scope.has(target)) {
          broken.add(entry.getKey() + " -> " + target);
        }
      }
      JsonNode state = entry.getValue();
      String type = state.get("Type").asText();
      boolean terminal = type.equals("Succeed") || type.equals("Fail") || state.path("End").asBoolean(false);
      boolean moves = state.has("Next") || type.equals("Choice");
      assertTrue(terminal ^ moves, entry.getKey() + " has exactly one of Next/End (or is Choice/Succeed/Fail)");
      if (type.equals("Choice")) {
        assertTrue(state.has("Default"), entry.getKey() + " has a Default");
      }
    }
    assertEquals(List.of(), broken);
  }

  @Test
  void everyState_isReachable() {
    Set<String> reached = new HashSet<>();
    reach(asl, reached);
    Set<String> unreached = new TreeSet<>(STATES.keySet());
    unreached.removeAll(reached);
    assertEquals(Set.of(), unreached);
  }

  private static void reach(JsonNode machine, Set<String> reached) {
    List<String> todo = new ArrayList<>(List.of(machine.get("StartAt").asText()));
    while (!todo.isEmpty()) {
      String name = todo.remove(todo.size() - 1);
      if (reached.add(name)) {
        JsonNode state = machine.get("States").get(name);
        assertTrue(state != null, "StartAt/Next " + name + " exists");
        todo.addAll(targets(state));
        JsonNode processor = processor(state);
        if (processor != null) {
          reach(processor, reached);
        }
      }
    }
  }

  @Test
  void plan_invokesThePlanFunctionAndNeverRetriesUserErrors() {
    JsonNode plan = STATES.get("Plan nightly releases");
    assertEquals("arn:aws:states:::lambda:invoke", plan.get("Resource").asText());
    assertEquals("${" + NightlyStateMachine.NIGHTLY_PLAN_FUNCTION_ARN + "}",
        plan.get("Parameters").get("FunctionName").asText());
    assertEquals("$.Payload.releases", plan.get("ResultSelector").get("releases.$").asText());
    JsonNode first = plan.get("Retry").get(0);
    assertEquals(0, first.get("MaxAttempts").asInt());
    assertTrue(first.get("ErrorEquals").toString().contains("io.smdrelease.error.InvalidInputException"));
    boolean transient_ = false;
    for (JsonNode retrier : plan.get("Retry")) {
      String errors = retrier.get("ErrorEquals").toString();
      assertFalse(errors.contains("States.ALL") || errors.contains("States.TaskFailed"), "no catch-all retry");
      transient_ |= errors.contains("Lambda.TooManyRequestsException") && retrier.get("MaxAttempts").asInt() > 1
          && retrier.get("BackoffRate").asDouble() > 1;
    }
    assertTrue(transient_, "Lambda service errors are retried with backoff");
    assertTrue(plan.get("TimeoutSeconds").asInt() > ReleaseFunctions.NIGHTLY_PLAN_TIMEOUT.toSeconds().intValue(),
        "the task waits longer than the function may run");
  }

  /** One release execution per planned entry, waited for; a failed one is recorded and the others go on. */
  @Test
  void startRelease_runsTheReleaseStateMachineSynchronouslyPerPlannedRelease() {
    JsonNode map = STATES.get("Start releases");
    assertEquals("$.releases", map.get("ItemsPath").asText());
    JsonNode start = STATES.get("Start release");
    assertEquals("arn:aws:states:::states:startExecution.sync:2", start.get("Resource").asText());
    JsonNode parameters = start.get("Parameters");
    assertEquals("${" + NightlyStateMachine.RELEASE_STATE_MACHINE_ARN + "}",
        parameters.get("StateMachineArn").asText());
    assertEquals("$.name", parameters.get("Name.$").asText());
    assertEquals("$.input", parameters.get("Input.$").asText());
    assertEquals("[\"States.ALL\"]", start.get("Catch").get(0).get("ErrorEquals").toString());
    String caught = start.get("Catch").get(0).get("Next").asText();
    assertTrue(STATES.get(caught).path("End").asBoolean(false), "a failed release ends its iteration only");
    start.path("Retry").forEach(r -> assertFalse(r.get("ErrorEquals").toString().contains("States.TaskFailed"),
        "a failed release is not started again in the same night"));
  }

  @Test
  void everyFailure_endsInTheOneNightlyFailedState() {
    List<String> fails = STATES.entrySet().stream()
        .filter(e -> e.getValue().get("Type").asText().equals("Fail")).map(Map.Entry::getKey).toList();
    assertEquals(List.of("Nightly failed"), fails);
    JsonNode fail = STATES.get("Nightly failed");
    assertEquals("$.errorName", fail.get("ErrorPath").asText());
    assertEquals("$.causeText", fail.get("CausePath").asText());
    assertEquals("Planning failed", STATES.get("Plan nightly releases").get("Catch").get(0).get("Next").asText());
    assertEquals("Nightly failed", STATES.get("Planning failed").get("Next").asText());
    JsonNode anyFailed = STATES.get("Any release failed?");
    assertEquals("Describe nightly failure", anyFailed.get("Choices").get(0).get("Next").asText());
    assertEquals("Nightly succeeded", anyFailed.get("Default").asText());
    assertEquals("Nightly failed", STATES.get("Describe nightly failure").get("Next").asText());
  }

  @Test
  void stack_inlinesTheSameDefinitionCompacted() throws IOException {
    JsonNode inlined = new ObjectMapper().readTree(ReleaseStateMachine.read(FILE));
    assertEquals(asl, inlined);
    assertTrue(ReleaseStateMachine.read(FILE).length() < text.length());
  }

  @Test
  void placeholders_areExactlyTheSubstitutionsTheStackPasses() {
    Set<String> used = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\{([^}]*)}").matcher(text);
    while (m.find()) {
      used.add(m.group(1));
    }
    assertEquals(new TreeSet<>(NightlyStateMachine.SUBSTITUTIONS), used);
  }

  private static List<String> targets(JsonNode state) {
    List<String> targets = new ArrayList<>();
    if (state.has("Next")) {
      targets.add(state.get("Next").asText());
    }
    if (state.has("Default")) {
      targets.add(state.get("Default").asText());
    }
    state.path("Choices").forEach(c -> targets.add(c.get("Next").asText()));
    state.path("Catch").forEach(c -> targets.add(c.get("Next").asText()));
    return targets;
  }
}
