package io.smdrelease.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Turns a release execution's history events into lines a release engineer follows: each stage as it starts and
 * ends with what it decided (the plan, the gates, the promotion), retries, and the end. Remembers what the builds
 * need: the plan's build projects per image type and every CodeBuild build id the events mention.
 */
final class HistoryView {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String RECORD_FAILURE = "Record failure";
    private static final JsonNode MISSING = JSON.missingNode();

    private final PrintWriter out;
    private final Map<String, Instant> entered = new HashMap<>();
    /** Build id → image type (null until known). */
    private final Map<String, String> buildIds = new LinkedHashMap<>();
    /** CodeBuild project → image type, from the plan. */
    private final Map<String, String> projectTypes = new HashMap<>();

    private JsonNode plan;
    private int mapDepth;
    private int stagesStarted;
    private HistoryEvent end;

    HistoryView(PrintWriter out) {
        this.out = out;
    }

    /** Prints the events (oldest first); returns whether any changed what the release is doing. */
    boolean show(Iterable<HistoryEvent> events) {
        boolean changed = false;
        for (HistoryEvent event : events) {
            changed |= show(event);
        }
        return changed;
    }

    /** The end event (succeeded, failed, timed out, aborted), or null while the execution runs. */
    HistoryEvent end() {
        return end;
    }

    JsonNode plan() {
        return plan;
    }

    Map<String, String> buildIds() {
        return buildIds;
    }

    /** The image type whose builds run in {@code project}, or null. */
    String imageTypeOfProject(String project) {
        return projectTypes.get(project);
    }

    private boolean show(HistoryEvent event) {
        HistoryEventType type = event.type();
        String typeName = event.typeAsString();
        collectBuildIds(event);
        if (typeName.endsWith("StateEntered")) {
            entered(event, event.stateEnteredEventDetails().name(), typeName);
            return true;
        }
        if (typeName.endsWith("StateExited")) {
            return exited(event, event.stateExitedEventDetails().name(), typeName);
        }
        if (type == HistoryEventType.TASK_FAILED && event.taskFailedEventDetails() != null) {
            line(
                    event,
                    "        attempt failed: " + event.taskFailedEventDetails().error() + ": "
                            + shorten(
                                    causeMessage(event.taskFailedEventDetails().cause())));
            return true;
        }
        if (type == HistoryEventType.LAMBDA_FUNCTION_FAILED && event.lambdaFunctionFailedEventDetails() != null) {
            line(
                    event,
                    "        attempt failed: "
                            + event.lambdaFunctionFailedEventDetails().error());
            return true;
        }
        if (type == HistoryEventType.EXECUTION_SUCCEEDED
                || type == HistoryEventType.EXECUTION_FAILED
                || type == HistoryEventType.EXECUTION_TIMED_OUT
                || type == HistoryEventType.EXECUTION_ABORTED) {
            end = event;
            return true;
        }
        return false;
    }

    private void entered(HistoryEvent event, String name, String typeName) {
        entered.put(name, event.timestamp());
        boolean stage = (typeName.startsWith("Task") || typeName.startsWith("Map")) && mapDepth == 0;
        if (typeName.startsWith("Map")) {
            mapDepth++;
        }
        if (stage && name.equals(RECORD_FAILURE)) {
            line(event, "        recording the failure");
        } else if (stage) {
            stagesStarted++;
            line(event, "start " + progress() + " " + name);
            if (plan != null && name.equals("Wait for approval")) {
                String version = plan.path("targetVersion").asText();
                line(event, "        approve: smd-release release approve --target-patch-version " + version);
                line(
                        event,
                        "        reject:  smd-release release reject --target-patch-version " + version
                                + " --reason \"…\"");
            }
        } else if (mapDepth > 0 && typeName.startsWith("Task")) {
            JsonNode input = parse(event.stateEnteredEventDetails().input());
            line(
                    event,
                    "        " + input.path("imageType").asText("?") + " build starting (project "
                            + input.path("projectName").asText("?") + ")");
        }
    }

    private boolean exited(HistoryEvent event, String name, String typeName) {
        if (typeName.startsWith("Map")) {
            mapDepth = Math.max(0, mapDepth - 1);
        }
        boolean stage = (typeName.startsWith("Task") || typeName.startsWith("Map")) && mapDepth == 0;
        if (!stage || name.equals(RECORD_FAILURE)) {
            return false;
        }
        JsonNode output = parse(event.stateExitedEventDetails().output());
        String took = took(name, event.timestamp());
        boolean failedBuild = false;
        for (JsonNode build : output.path("builds")) {
            failedBuild |= build.path("failed").asBoolean(false);
        }
        if (output.has("failure") || output.has("error") || failedBuild) {
            line(event, "fail  " + progress() + " " + name + took);
        } else {
            line(event, "done  " + progress() + " " + name + took);
        }
        for (JsonNode build : typeName.startsWith("Map") ? output.path("builds") : MISSING) {
            JsonNode failure = build.path("failure");
            line(
                    event,
                    "        " + build.path("imageType").asText("?")
                            + (build.path("failed").asBoolean(false)
                                    ? " build failed: " + failure.path("error").asText() + ": "
                                            + shorten(buildFailure(
                                                    failure.path("cause").asText()))
                                    : " candidate built ("
                                            + build.path("buildId").asText("?") + ")"));
        }
        if (output.has("failure") || output.has("error") || failedBuild) {
            return true;
        }
        if (output.has("plan") && plan == null) {
            rememberPlan(event, output.get("plan"));
        }
        if (name.equals("Evaluate gates")) {
            for (JsonNode result : output.path("gates").path("results")) {
                line(
                        event,
                        "        " + result.path("status").asText() + " "
                                + result.path("gate").asText() + " ["
                                + result.path("imageType").asText() + "]: "
                                + result.path("summary").asText());
            }
        } else if (output.has("promotion")) {
            JsonNode promotion = output.get("promotion");
            line(
                    event,
                    "        " + promotion.path("versionTags").size() + " version tags, "
                            + promotion.path("aliases").size() + " aliases in place");
        }
        return true;
    }

    private void rememberPlan(HistoryEvent event, JsonNode plan) {
        this.plan = plan;
        for (JsonNode build : plan.path("builds")) {
            projectTypes.put(
                    build.path("projectName").asText(), build.path("imageType").asText());
        }
        line(
                event,
                "        " + plan.path("targetVersion").asText() + " from "
                        + plan.path("sourceVersion").asText("(none)") + ", image types "
                        + String.join(", ", JSON.convertValue(plan.path("imageTypes"), String[].class)) + " ("
                        + plan.path("mode").asText() + ")");
    }

    /** {@code [2/5]}: stages started of the stages this mode runs (Generate, builds, gates, approval, promote...). */
    private String progress() {
        if (plan == null) {
            return "[" + stagesStarted + "]";
        }
        String mode = plan.path("mode").asText();
        boolean approval = plan.path("input").path("approval").asBoolean(false);
        int total = switch (mode) {
            case "CANDIDATE" -> 3;
            case "PROMOTE" -> 4 + (approval ? 1 : 0);
            default -> 5 + (approval ? 1 : 0);
        };
        return "[" + stagesStarted + "/" + total + "]";
    }

    private String took(String name, Instant exitedAt) {
        Instant at = entered.get(name);
        if (at == null || exitedAt == null) {
            return "";
        }
        return " (" + ExecutionWatcher.human(Duration.between(at, exitedAt)) + ")";
    }

    /** Every build id an event mentions: in a StartBuild answer ({@code Build.Id}) or the map's {@code buildId}. */
    private void collectBuildIds(HistoryEvent event) {
        String[] payloads = {
            event.taskSubmittedEventDetails() == null
                    ? null
                    : event.taskSubmittedEventDetails().output(),
            event.taskSucceededEventDetails() == null
                    ? null
                    : event.taskSucceededEventDetails().output(),
            event.taskFailedEventDetails() == null
                    ? null
                    : event.taskFailedEventDetails().cause(),
            event.stateExitedEventDetails() == null
                    ? null
                    : event.stateExitedEventDetails().output()
        };
        for (String payload : payloads) {
            if (payload != null && payload.contains("uild")) {
                collect(parse(payload), null);
            }
        }
    }

    private void collect(JsonNode node, String imageType) {
        if (node.isTextual()) {
            JsonNode parsed = node.asText().startsWith("{") ? parse(node.asText()) : node;
            if (!parsed.isTextual()) {
                collect(parsed, imageType);
            }
            return;
        }
        String type = node.path("imageType").isTextual() ? node.get("imageType").asText() : imageType;
        if (node.path("Build").path("Id").isTextual()) {
            buildIds.merge(node.get("Build").get("Id").asText(), type == null ? "" : type, HistoryView::known);
        }
        if (node.path("buildId").isTextual()) {
            buildIds.merge(node.get("buildId").asText(), type == null ? "" : type, HistoryView::known);
        }
        node.forEach(child -> collect(child, type));
    }

    private static String known(String a, String b) {
        return a.isEmpty() ? b : a;
    }

    /** A failed startBuild.sync's cause is the build as JSON: its status and phase say what broke. */
    private static String buildFailure(String cause) {
        JsonNode build = parse(cause).path("Build");
        if (build.isMissingNode()) {
            return cause;
        }
        return "build " + build.path("Id").asText("?") + " ended "
                + build.path("BuildStatus").asText("?")
                + (build.has("CurrentPhase")
                        ? " in phase " + build.get("CurrentPhase").asText()
                        : "");
    }

    /** The Lambda runtime wraps a handler's error as JSON: its message is what the user reads. */
    static String causeMessage(String cause) {
        JsonNode json = parse(cause);
        return json.hasNonNull("errorMessage") ? json.get("errorMessage").asText() : String.valueOf(cause);
    }

    static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(text);
            return node == null ? JSON.createObjectNode() : node;
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private static String shorten(String text) {
        String line = ReleaseCommandBase.firstLine(text);
        return line.length() <= 200 ? line : line.substring(0, 199) + "…";
    }

    private void line(HistoryEvent event, String text) {
        Instant at = event.timestamp() == null ? Instant.now() : event.timestamp();
        out.println(TIME.format(at) + "  " + text);
        out.flush();
    }
}
