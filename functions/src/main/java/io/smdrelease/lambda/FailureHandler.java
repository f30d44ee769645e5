package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.lambda.StepInputs.Execution;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Record failure}: every failed stage ends here. Turns the state machine's error into what a release engineer
 * reads in the console and in {@code describe-execution}: an error naming the stage and every failed image type, and a
 * cause that says what broke, where, and what to do next in the words of the execution input. Writes the same as
 * {@code failure.json} into the version's directory (or {@code failures/<execution name>.json} before there is one).
 * Input: {@code {"stage", "error": {"Error", "Cause"}, "state": <the state when it failed>, "execution"}}.
 */
public final class FailureHandler implements RequestStreamHandler {
    private static final Pattern GATE = Pattern.compile("([a-z][a-z0-9-]*) \\[([a-z][a-z0-9-]*)\\]");
    private static final Pattern EMBEDDED_TYPE = Pattern.compile("\"errorType\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern EMBEDDED_MESSAGE =
            Pattern.compile("\"errorMessage\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)");

    /** The input the state machine passes. */
    record FailureInput(String stage, JsonNode error, JsonNode state, Execution execution) {}

    /** The Fail state's error and cause. */
    public record Described(String error, String cause, String record) {}

    private final ArtifactStore store;
    private final Clock clock;

    public FailureHandler() {
        this(LambdaSupport.storeFromEnvironment(PipelineSettings.fromEnvironment()), Clock.systemUTC());
    }

    public FailureHandler(ArtifactStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        Described described;
        try {
            described = describe(LambdaSupport.readInput(
                    in, FailureInput.class, "{\"stage\", \"error\", \"state\", \"execution\"}"));
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, described);
    }

    public Described describe(FailureInput input) {
        JsonNode state = input.state() == null ? LambdaSupport.JSON.createObjectNode() : input.state();
        JsonNode plan = state.path("plan");
        String version = plan.path("targetVersion").asText(null);
        List<String> messages = new ArrayList<>();
        Set<String> imageTypes = new LinkedHashSet<>();
        String errorName;
        if (state.path("check").path("failures").isArray()
                && !state.path("check").path("failures").isEmpty()) {
            errorName = "BuildFailed";
            for (JsonNode failure : state.path("check").path("failures")) {
                imageTypes.add(failure.path("imageType").asText());
                messages.add("the " + failure.path("imageType").asText() + " build failed ("
                        + failure.path("error").asText() + ": "
                        + message(failure.path("cause").asText()) + ")");
            }
        } else {
            JsonNode error = input.error() == null ? LambdaSupport.JSON.createObjectNode() : input.error();
            errorName = simpleName(errorType(error));
            String text = message(error.path("Cause").asText(""));
            messages.add(text.isEmpty() ? errorName : text);
            Matcher gates = GATE.matcher(text);
            while (gates.find() && "Evaluate gates".equals(input.stage())) {
                imageTypes.add(gates.group(2));
            }
        }
        String types = imageTypes.isEmpty() ? "" : " [" + String.join(", ", imageTypes) + "]";
        String recordPath = plan.hasNonNull("versionDir")
                ? plan.get("versionDir").asText() + "/" + ReleaseFiles.FAILURE_JSON
                : "failures/" + input.execution().name() + ".json";
        String cause = FailureMessages.forExecutionInput(String.join("; ", messages)) + ". Next: "
                + nextStep(input.stage(), errorName, version, plan.path("input").path("targetEcrRepos"))
                + " (execution "
                + input.execution().id()
                + "; failure record " + store.locationOf(recordPath) + ")";
        Described described = new Described(input.stage() + " failed" + types + ": " + errorName, cause, recordPath);
        ObjectNode record = LambdaSupport.JSON
                .createObjectNode()
                .put("stage", input.stage())
                .put("error", described.error())
                .put("cause", cause)
                .put("execution", input.execution().id())
                .put("failedAt", clock.instant().toString());
        record.putPOJO("imageTypes", imageTypes);
        if (version != null) {
            record.put("version", version);
        }
        store.write(recordPath, record.toPrettyString().getBytes(StandardCharsets.UTF_8));
        return described;
    }

    /** The Lambda runtime puts the handler's error in the cause as JSON: its message is what the user needs. */
    private static String message(String cause) {
        try {
            JsonNode json = LambdaSupport.JSON.readTree(cause);
            if (json != null && json.hasNonNull("errorMessage")) {
                String message = json.get("errorMessage").asText();
                return embedded(message, EMBEDDED_MESSAGE)
                        .map(FailureHandler::unescape)
                        .orElse(message);
            }
        } catch (IOException e) {
            // not JSON: the cause is the message
        }
        return cause;
    }

    /**
     * A Lambda proxy (MiniStack's proxy mode) reports every handler error as {@code Runtime.HandlerError} whose message
     * carries the handler's own error document after a prefix, possibly cut short: a field of that document.
     */
    private static Optional<String> embedded(String message, Pattern field) {
        Matcher m = field.matcher(message);
        return message.contains("\"errorType\"") && m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** A JSON string's content, possibly cut short, as text. */
    private static String unescape(String content) {
        try {
            return LambdaSupport.JSON.readValue("\"" + content + "\"", String.class);
        } catch (IOException e) {
            return content; // cut inside an escape
        }
    }

    private static String errorType(JsonNode error) {
        String name = error.path("Error").asText("");
        if (name.isEmpty() || name.startsWith("Runtime.") || name.equals("States.TaskFailed")) {
            try {
                JsonNode cause = LambdaSupport.JSON.readTree(error.path("Cause").asText(""));
                if (cause != null && cause.hasNonNull("errorType")) {
                    String type = cause.get("errorType").asText();
                    return type.startsWith("Runtime.")
                            ? embedded(cause.path("errorMessage").asText(""), EMBEDDED_TYPE)
                                    .orElse(type)
                            : type;
                }
            } catch (IOException e) {
                // keep the state machine's name
            }
        }
        return name.isEmpty() ? "Error" : name;
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    private static String nextStep(String stage, String error, String version, JsonNode repositories) {
        String v = version == null ? "V" : version;
        // the input that promotes this run's candidates: the same version and release repositories
        String promote = "{\"targetPatchVersion\": \"" + v + "\", \"promote\": true, \"targetEcrRepos\": "
                + (repositories.isArray() ? repositories.toString() : "[…]");
        return switch (stage) {
            case "Generate artifacts" -> "fix the input as the message says and start a new execution";
            case "Build candidates" ->
                "read the failed build's CodeBuild log; once fixed, build the candidates again"
                        + " with {\"targetPatchVersion\": \"" + v
                        + "\"} (add \"force\": true to solve afresh from env.in)";
            case "Evaluate gates" ->
                "fix what the gate found and build the candidates again with"
                        + " {\"targetPatchVersion\": \"" + v + "\"}, or waive the gate explicitly (\"skipTests\": true"
                        + " for the image tests); no alias moved";
            case "Wait for approval" ->
                error.equals("Timeout")
                        ? "nobody answered in time; ask again with " + promote + ", \"approval\": true}"
                        : "the release was rejected; no alias moved";
            case "Promote" ->
                "fix the registry as the message says, then run " + promote + "}: promotion converges, and no"
                        + " alias moved before every version tag was in place";
            case "Finalize release" ->
                "run " + promote + "} again: the images are promoted, release.json is written last";
            default -> "see the execution's history";
        };
    }
}
