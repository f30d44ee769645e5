package io.smdrelease.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * A state machine definition file, parsed for the static checks: every state by name (those of Map processors and
 * Parallel branches included) with the states of its own scope, its transitions, reachability and placeholders.
 */
record AslDefinition(String text, JsonNode root, Map<String, JsonNode> states, Map<String, JsonNode> scopeOf) {

    static AslDefinition read(Path file) {
        try {
            String text = Files.readString(file);
            JsonNode root = new ObjectMapper().readTree(text);
            Map<String, JsonNode> states = new LinkedHashMap<>();
            Map<String, JsonNode> scopeOf = new LinkedHashMap<>();
            collect(root, states, scopeOf);
            return new AslDefinition(text, root, states, scopeOf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(JsonNode machine, Map<String, JsonNode> states, Map<String, JsonNode> scopeOf) {
        JsonNode scope = machine.get("States");
        scope.properties().forEach(entry -> {
            if (states.containsKey(entry.getKey())) {
                throw new AssertionError("state names are unique: " + entry.getKey());
            }
            states.put(entry.getKey(), entry.getValue());
            scopeOf.put(entry.getKey(), scope);
            JsonNode processor = processor(entry.getValue());
            if (processor != null) {
                collect(processor, states, scopeOf);
            }
            entry.getValue().path("Branches").forEach(branch -> collect(branch, states, scopeOf));
        });
    }

    private static JsonNode processor(JsonNode state) {
        return state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
    }

    JsonNode state(String name) {
        return states.get(name);
    }

    /** Transitions to a state missing from the source state's scope, as "from -> to". */
    List<String> brokenTransitions() {
        List<String> broken = new ArrayList<>();
        states.forEach((name, state) -> {
            for (String target : targets(state)) {
                if (!scopeOf.get(name).has(target)) {
                    broken.add(name + " -> " + target);
                }
            }
        });
        return broken;
    }

    /** States that neither end nor move on, or both; Choice states without a Default. */
    List<String> badEndings() {
        List<String> bad = new ArrayList<>();
        states.forEach((name, state) -> {
            String type = state.get("Type").asText();
            boolean terminal = type.equals("Succeed")
                    || type.equals("Fail")
                    || state.path("End").asBoolean(false);
            boolean moves = state.has("Next") || type.equals("Choice");
            if (terminal == moves) {
                bad.add(name + " must have exactly one of Next/End (or be Choice/Succeed/Fail)");
            }
            if (type.equals("Choice") && !state.has("Default")) {
                bad.add(name + " has no Default");
            }
        });
        return bad;
    }

    Set<String> unreachable() {
        Set<String> reached = new HashSet<>();
        reach(root, reached);
        Set<String> unreached = new TreeSet<>(states.keySet());
        unreached.removeAll(reached);
        return unreached;
    }

    private static void reach(JsonNode machine, Set<String> reached) {
        List<String> todo = new ArrayList<>(List.of(machine.get("StartAt").asText()));
        while (!todo.isEmpty()) {
            String name = todo.remove(todo.size() - 1);
            JsonNode state = machine.get("States").get(name);
            if (state != null && reached.add(name)) {
                todo.addAll(targets(state));
                JsonNode processor = processor(state);
                if (processor != null) {
                    reach(processor, reached);
                }
                state.path("Branches").forEach(branch -> reach(branch, reached));
            }
        }
    }

    /** The {@code ${Name}} placeholders CDK substitutes. */
    Set<String> placeholders() {
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([^}]*)}").matcher(text);
        while (m.find()) {
            used.add(m.group(1));
        }
        return used;
    }

    static List<String> targets(JsonNode state) {
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
