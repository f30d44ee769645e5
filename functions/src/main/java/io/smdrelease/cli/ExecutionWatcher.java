package io.smdrelease.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.smdrelease.error.InvalidInputException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;

/**
 * Follows one release execution until it ends: new history events (newest first, one page per poll in the common
 * case), the builds' phases and log tails, then the verdict. Polls back off from 1 s, doubling while nothing changes,
 * up to {@code maxInterval}; a new stage or build phase starts again at 1 s. So a release costs a few API calls a
 * minute: one history page, and while builds run one BatchGetBuilds and one GetLogEvents per running build.
 */
final class ExecutionWatcher {
    private static final Duration FIRST_INTERVAL = Duration.ofSeconds(1);

    /** Waits between polls; tests and users interrupt it. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final AwsClients aws;
    private final PrintWriter out;
    private final Duration maxInterval;
    private final int logLines;
    private final Clock clock;
    private final Sleeper sleeper;

    ExecutionWatcher(
            AwsClients aws, PrintWriter out, Duration maxInterval, int logLines, Clock clock, Sleeper sleeper) {
        this.aws = aws;
        this.out = out;
        this.maxInterval = maxInterval;
        this.logLines = logLines;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Follows the execution to its end: {@link ExitCode#OK} when it succeeded, {@link ExitCode#BUILD_FAILED} else. */
    ExitCode watch(String executionArn) throws InterruptedException {
        Instant started = clock.instant();
        int callsBefore = aws.calls();
        DescribeExecutionResponse execution = describe(executionArn);
        out.println("Watching " + execution.name() + " ("
                + execution.statusAsString().toLowerCase(Locale.ROOT) + ", polling" + " every 1-"
                + maxInterval.toSeconds() + " s; Ctrl-C stops watching, not the release)");
        out.flush();
        HistoryView history = new HistoryView(out);
        BuildTracker builds = new BuildTracker(aws, out, logLines);
        long lastSeen = 0;
        Duration interval = FIRST_INTERVAL;
        while (true) {
            List<HistoryEvent> events = newEvents(executionArn, lastSeen);
            if (!events.isEmpty()) {
                lastSeen = events.get(events.size() - 1).id();
            }
            boolean changed = history.show(events);
            builds.discover(history);
            changed |= builds.poll();
            if (history.end() != null) {
                Duration took = Duration.between(started, clock.instant());
                int calls = aws.calls() - callsBefore;
                ExitCode code = conclude(executionArn, history);
                out.println("API calls: " + calls + " in " + human(took)
                        + (took.toMinutes() < 1
                                ? ""
                                : " (" + String.format(Locale.ROOT, "%.1f", calls * 60.0 / took.toSeconds())
                                        + " a minute)"));
                out.flush();
                return code;
            }
            sleeper.sleep(interval);
            interval = changed ? FIRST_INTERVAL : min(interval.multipliedBy(2), maxInterval);
        }
    }

    private DescribeExecutionResponse describe(String executionArn) {
        try {
            return aws.sfn().describeExecution(b -> b.executionArn(executionArn));
        } catch (ExecutionDoesNotExistException | InvalidArnException e) {
            throw new InvalidInputException("no execution " + executionArn + " here: pass an execution ARN of the"
                    + " release state machine (release start prints it), or --latest; check --region/--profile");
        }
    }

    /** The events after {@code lastSeen}, oldest first: pages newest first until one reaches what was seen. */
    private List<HistoryEvent> newEvents(String executionArn, long lastSeen) {
        List<HistoryEvent> fresh = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            GetExecutionHistoryResponse answer = aws.sfn()
                    .getExecutionHistory(b -> b.executionArn(executionArn)
                            .reverseOrder(true)
                            .maxResults(100)
                            .includeExecutionData(true)
                            .nextToken(page));
            for (HistoryEvent event : answer.events()) {
                if (event.id() <= lastSeen) {
                    Collections.reverse(fresh);
                    return fresh;
                }
                fresh.add(event);
            }
            token = answer.nextToken();
        } while (token != null);
        Collections.reverse(fresh);
        return fresh;
    }

    private ExitCode conclude(String executionArn, HistoryView history) {
        HistoryEvent end = history.end();
        JsonNode plan = history.plan();
        String version =
                plan == null ? "the release" : plan.path("targetVersion").asText();
        if (end.type() == HistoryEventType.EXECUTION_SUCCEEDED) {
            JsonNode output =
                    HistoryView.parse(end.executionSucceededEventDetails().output());
            if ("gated".equals(output.path("state").asText())) {
                out.println("Candidates of " + version + " are gated; nothing was promoted.");
                out.println("Next step: " + output.path("next").asText());
            } else {
                out.println("Released " + output.path("targetVersion").asText(version) + ": "
                        + output.path("releaseJson").asText("release.json written"));
            }
            return ExitCode.OK;
        }
        String error;
        String cause;
        if (end.type() == HistoryEventType.EXECUTION_FAILED) {
            error = end.executionFailedEventDetails().error();
            cause = end.executionFailedEventDetails().cause();
        } else if (end.type() == HistoryEventType.EXECUTION_TIMED_OUT) {
            error = "timed out";
            cause = end.executionTimedOutEventDetails() == null
                    ? null
                    : end.executionTimedOutEventDetails().cause();
        } else {
            error = "aborted";
            cause = end.executionAbortedEventDetails() == null
                    ? null
                    : end.executionAbortedEventDetails().cause();
        }
        cause = cause == null ? "" : HistoryView.causeMessage(cause);
        int next = cause.indexOf(". Next: ");
        out.println("Release failed: " + error);
        out.println("Cause: " + (next < 0 ? cause : cause.substring(0, next + 1)));
        out.println("Next step: "
                + (next < 0
                        ? "read the execution's events (aws stepfunctions get-execution-history --execution-arn "
                                + executionArn + "), fix what broke and start the release again"
                        : cause.substring(next + ". Next: ".length())));
        return ExitCode.BUILD_FAILED;
    }

    static String human(Duration duration) {
        long s = Math.max(0, duration.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
