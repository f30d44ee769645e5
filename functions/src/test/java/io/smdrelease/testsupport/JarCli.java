package io.smdrelease.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the shaded jar ({@code smd.jar}, set by failsafe) in its own JVM with the AWS settings a user has in the
 * environment, pointed at MiniStack: what a user runs, with exactly the classes and resources the jar ships.
 */
public final class JarCli {
    private JarCli() {}

    /** Exit code and the interleaved stdout and stderr. */
    public record Run(int exitCode, String output) {}

    public static Run run(MiniStack ministack, Path work, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-jar", System.getProperty("smd.jar")));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(work, "cli", ".log");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("AWS_ENDPOINT_URL", ministack.endpoint().toString());
        pb.environment().put("AWS_ACCESS_KEY_ID", MiniStack.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", MiniStack.SECRET_KEY);
        pb.environment().put("AWS_REGION", ministack.region().id());
        Process process = pb.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            String threads = threadDump(process);
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish in 120 s: " + Files.readString(log) + "\n" + threads);
        }
        return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Where a hung CLI waits: its threads as jstack prints them, so that a hang in CI can be read from the report. */
    private static String threadDump(Process process) throws IOException, InterruptedException {
        Path jstack = Path.of(System.getProperty("java.home"), "bin", "jstack");
        if (!Files.isExecutable(jstack)) {
            return "(no thread dump: " + jstack + " is missing)";
        }
        Path out = Files.createTempFile("jstack", ".txt");
        Process dump = new ProcessBuilder(jstack.toString(), Long.toString(process.pid()))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!dump.waitFor(30, TimeUnit.SECONDS)) {
            dump.destroyForcibly(); // a JVM that does not answer the attach: say what jstack got
        }
        return "threads of the CLI:\n" + Files.readString(out, StandardCharsets.UTF_8);
    }
}
