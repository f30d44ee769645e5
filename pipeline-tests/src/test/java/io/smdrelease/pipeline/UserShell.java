package io.smdrelease.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Commands run as a user runs them in a shell: from a directory, with variables exported, output and timing kept. */
final class UserShell {
    private final Path dir;
    private final Map<String, String> exported;

    UserShell(Path dir, Map<String, String> exported) {
        this.dir = dir;
        this.exported = Map.copyOf(exported);
    }

    /** A finished command: exit code, output (stdout and stderr), when each line came, how long it took. */
    record Run(int exit, String output, List<Instant> lineTimes, Duration took, Instant ended) {
        /** When the first line containing {@code text} was printed, or null. */
        Instant firstLine(String text) {
            String[] lines = output.split("\n", -1);
            for (int i = 0; i < lines.length && i < lineTimes.size(); i++) {
                if (lines[i].contains(text)) {
                    return lineTimes.get(i);
                }
            }
            return null;
        }
    }

    /** Runs a command from the checkout's root with {@code extraEnv} exported, as a user would in a shell. */
    Run run(Map<String, String> extraEnv, int timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(exported);
        builder.environment().putAll(extraEnv);
        Instant began = Instant.now();
        Process process = builder.start();
        process.getOutputStream().close();
        StringBuilder output = new StringBuilder();
        List<Instant> times = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                        times.add(Instant.now());
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(
                    String.join(" ", command) + " did not end in " + timeoutSeconds + " s:\n" + output);
        }
        Instant ended = Instant.now();
        reader.join(10_000);
        synchronized (output) {
            return new Run(
                    process.exitValue(), output.toString(), List.copyOf(times), Duration.between(began, ended), ended);
        }
    }

    /** The {@code export A=B C=D} lines of up's env file. */
    static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> vars = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("export ")) {
                for (String assignment :
                        line.substring("export ".length()).trim().split("\\s+")) {
                    int eq = assignment.indexOf('=');
                    vars.put(assignment.substring(0, eq), assignment.substring(eq + 1));
                }
            }
        }
        return vars;
    }
}
