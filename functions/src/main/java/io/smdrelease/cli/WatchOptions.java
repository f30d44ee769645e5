package io.smdrelease.cli;

import io.smdrelease.error.InvalidInputException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How {@code release watch} (and {@code release start --watch}) polls and how much of each build's log it shows. */
final class WatchOptions {
    @Option(
            names = "--interval",
            paramLabel = "SECONDS",
            defaultValue = "20",
            description = "The longest wait between polls; polls start 1 s apart and back off while nothing changes."
                    + " Default: ${DEFAULT-VALUE}.")
    int intervalSeconds;

    @Option(
            names = "--log-lines",
            paramLabel = "N",
            defaultValue = "20",
            description = "Log lines shown per build and poll (the newest). Default: ${DEFAULT-VALUE}.")
    int logLines;

    void validate() {
        if (intervalSeconds < 1 || intervalSeconds > 300) {
            throw new InvalidInputException("--interval " + intervalSeconds + " is out of range: use 1 to 300 seconds");
        }
        if (logLines < 0 || logLines > 1000) {
            throw new InvalidInputException("--log-lines " + logLines + " is out of range: use 0 to 1000");
        }
    }

    ExecutionWatcher watcher(AwsClients aws, PrintWriter out) {
        validate();
        return new ExecutionWatcher(
                aws,
                out,
                Duration.ofSeconds(intervalSeconds),
                logLines,
                Clock.systemUTC(),
                d -> Thread.sleep(d.toMillis()));
    }
}
