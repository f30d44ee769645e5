package io.smdrelease.lambda.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.cli.LocalBuilds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for CodeBuild's {@code StartBuild} in the release state machine's {@code Build candidate} task, which no
 * emulator runs: the build of buildspecs/build.yml (its pre_build and build scripts, {@link LocalBuilds#SCRIPTS}) runs
 * on this machine with the request's environment, against the emulator's bucket and registry. Input: the task's
 * parameters ({@code ProjectName}, {@code EnvironmentVariablesOverride}); output: {@code {"Build": {"Id",
 * "BuildStatus": "SUCCEEDED", …}}} as {@code startBuild.sync} returns it. A failed script fails the invocation with a
 * {@link BuildFailedException} naming the image type, the step, its last error line and the build's log, so the
 * execution fails at {@code Build candidates} naming the image type.
 */
public final class LocalCodeBuild implements RequestStreamHandler {
    /** Below the 15-minute Lambda timeout the emulator waits for: a build that takes longer is stopped. */
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(14);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path scripts;
    private final Path workDir;
    private final Map<String, String> environment;
    private final PrintStream progress;
    private final BuildRecords records;
    private final Clock clock;

    /** Where a finished build is recorded for readers such as {@code release watch}. */
    @FunctionalInterface
    public interface BuildRecords {
        /** Records the successful build of {@code project} whose output is {@code log}; returns the build's id. */
        String record(String project, Path log) throws IOException;
    }

    /**
     * @param scripts     buildspecs/scripts
     * @param workDir     where each build gets {@code builds/<candidate tag>/} and {@code logs/<candidate tag>.log}
     * @param environment the environment of every build (engine, storage, AWS endpoint), before the request's
     * @param progress    where each step's start and end are printed
     * @param records     where a successful build is recorded, its id the one the task returns
     */
    public LocalCodeBuild(
            Path scripts,
            Path workDir,
            Map<String, String> environment,
            PrintStream progress,
            BuildRecords records,
            Clock clock) {
        this.scripts = scripts;
        this.workDir = workDir;
        this.environment = Map.copyOf(environment);
        this.progress = progress;
        this.records = records;
        this.clock = clock;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        JsonNode request = JSON.readTree(in);
        String project = request.path("ProjectName").asText("local");
        Map<String, String> env = new LinkedHashMap<>(environment);
        for (JsonNode variable : request.path("EnvironmentVariablesOverride")) {
            env.put(variable.path("Name").asText(), variable.path("Value").asText());
        }
        String type = env.getOrDefault("IMAGE_TYPE", "unknown");
        String name = env.getOrDefault("CANDIDATE_TAG", project + "-" + UUID.randomUUID());
        Path log = Files.createDirectories(workDir.resolve("logs")).resolve(name + ".log");
        env.put("WORK_DIR", workDir.resolve("builds").resolve(name).toString());
        String started = clock.instant().toString();
        long deadline = System.nanoTime() + BUILD_TIMEOUT.toNanos();
        long began = System.nanoTime();
        for (String script : LocalBuilds.SCRIPTS) {
            run(script, type, env, log, deadline);
        }
        // the last line of the log, so that a reader of its tail (release watch) sees where and how long it ran
        Files.writeString(
                log,
                String.format(
                        "the %s build succeeded in %.1f s on this machine (buildspecs/scripts: no CodeBuild here)%n",
                        type, (System.nanoTime() - began) / 1e9),
                StandardOpenOption.APPEND);
        ObjectNode build = JSON.createObjectNode();
        build.putObject("Build")
                .put("Id", records.record(project, log))
                .put("ProjectName", project)
                .put("BuildStatus", "SUCCEEDED")
                .put("CurrentPhase", "COMPLETED")
                .put("StartTime", started)
                .put("EndTime", clock.instant().toString())
                .putObject("Logs")
                .put("DeepLink", log.toUri().toString());
        JSON.writeValue(out, build);
    }

    private void run(String script, String type, Map<String, String> env, Path log, long deadline) throws IOException {
        String step = script.replace(".sh", "");
        progress.printf("[%s] %s %s started%n", type, env.get("CANDIDATE_TAG"), step);
        ProcessBuilder builder = new ProcessBuilder(
                        "bash", scripts.resolve(script).toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        long began = System.nanoTime();
        long logged = Files.exists(log) ? Files.size(log) : 0;
        Process process = builder.start();
        int exit;
        try {
            if (!process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new BuildFailedException("the " + type + " build took longer than " + BUILD_TIMEOUT.toMinutes()
                        + " min and was stopped in " + step + "; log: " + log);
            }
            exit = process.exitValue();
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BuildFailedException("the " + type + " build was interrupted in " + step + "; log: " + log);
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        if (exit != 0) {
            progress.printf(
                    "[%s] %s %s FAILED (exit %d) after %.1f s: %s%n",
                    type, env.get("CANDIDATE_TAG"), step, exit, seconds, log);
            throw new BuildFailedException("the " + type + " build failed in " + step + " (exit " + exit + "): "
                    + firstError(log, logged) + "; log: " + log);
        }
        progress.printf("[%s] %s %s done in %.1f s%n", type, env.get("CANDIDATE_TAG"), step, seconds);
    }

    /**
     * What a reader of the execution needs first from the failed step's output (the log from {@code offset} on): the
     * scripts' own {@code ERROR:} line (lib.sh's die), else the first line that reports an error (a tool's).
     */
    private static String firstError(Path log, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        List<String> lines = new String(
                        bytes,
                        (int) Math.min(offset, bytes.length),
                        (int) Math.max(0, bytes.length - offset),
                        StandardCharsets.UTF_8)
                .lines()
                .toList();
        String found = lines.stream()
                .filter(l -> l.contains("ERROR: "))
                .map(l -> l.substring(l.indexOf("ERROR: ") + "ERROR: ".length()))
                .reduce((first, last) -> last)
                .or(() -> lines.stream()
                        .filter(l -> l.toLowerCase(Locale.ROOT).contains("error"))
                        .findFirst())
                .orElse("see the log")
                .strip();
        return found.length() > 200 ? found.substring(0, 200) + "…" : found;
    }

    /** A build step failed: the distribution's image, its tests or the registry, not this tool. */
    public static final class BuildFailedException extends RuntimeException {
        BuildFailedException(String message) {
            super(message);
        }
    }
}
