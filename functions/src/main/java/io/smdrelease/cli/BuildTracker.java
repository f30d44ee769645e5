package io.smdrelease.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.BuildPhase;
import software.amazon.awssdk.services.codebuild.model.StatusType;

/**
 * Follows the candidate builds of a release: each build's phase from CodeBuild (one BatchGetBuilds for all running
 * builds per poll) and the new lines of its log from CloudWatch Logs (one GetLogEvents per running build per poll,
 * continuing from the last token), at most {@code logLines} lines per build and poll.
 */
final class BuildTracker {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final AwsClients aws;
    private final PrintWriter out;
    private final int logLines;
    private final Map<String, Track> tracks = new LinkedHashMap<>();

    /** What is known of one build; {@code logsDone} once its log was read after it ended. */
    private static final class Track {
        final String id;
        String imageType;
        String phase;
        StatusType status;
        String logGroup;
        String logStream;
        String logToken;
        boolean logsDone;
        boolean missing;

        Track(String id, String imageType) {
            this.id = id;
            this.imageType = imageType;
        }

        boolean finished() {
            return missing || (status != null && status != StatusType.IN_PROGRESS);
        }
    }

    BuildTracker(AwsClients aws, PrintWriter out, int logLines) {
        this.aws = aws;
        this.out = out;
        this.logLines = logLines;
    }

    /** Adds the builds the history mentions; the image type comes from the plan's project, else from the event. */
    void discover(HistoryView history) {
        history.buildIds().forEach((id, typeFromEvent) -> {
            int colon = id.indexOf(':');
            String project = colon > 0 ? id.substring(id.lastIndexOf('/') + 1, colon) : id;
            String type = history.imageTypeOfProject(project);
            String imageType = type != null ? type : typeFromEvent.isEmpty() ? "?" : typeFromEvent;
            tracks.computeIfAbsent(id, k -> new Track(id, imageType));
        });
    }

    /**
     * Asks CodeBuild about the builds that have not ended and reads their new log lines; a build that ended since the
     * last poll has its log read one last time.
     *
     * @return whether a build changed phase or status
     */
    boolean poll() {
        List<Track> open = tracks.values().stream().filter(t -> !t.finished()).toList();
        boolean changed = false;
        if (!open.isEmpty()) {
            List<String> ids = open.stream().map(t -> t.id).toList();
            var answer = aws.codeBuild().batchGetBuilds(b -> b.ids(ids));
            for (Build build : answer.builds()) {
                changed |= update(tracks.get(build.id()), build);
            }
            for (String id : answer.buildsNotFound()) {
                Track track = tracks.get(id);
                track.missing = true;
                print(track, "build " + id + " not found in CodeBuild (deleted, or in another account or region)");
            }
        }
        for (Track track : tracks.values()) {
            if (track.logGroup != null && !track.logsDone) {
                readLog(track);
                track.logsDone = track.finished();
            }
        }
        return changed;
    }

    private boolean update(Track track, Build build) {
        boolean changed = false;
        if (build.logs() != null && build.logs().groupName() != null) {
            track.logGroup = build.logs().groupName();
            track.logStream = build.logs().streamName();
        }
        if (build.currentPhase() != null && !build.currentPhase().equals(track.phase)) {
            track.phase = build.currentPhase();
            if (build.buildStatus() == StatusType.IN_PROGRESS) {
                print(track, "phase " + track.phase + " (" + track.id + ")");
            }
            changed = true;
        }
        if (build.buildStatus() != track.status) {
            track.status = build.buildStatus();
            if (track.finished()) {
                print(track, "build " + track.status + took(build) + failedPhase(build));
            }
            changed = true;
        }
        return changed;
    }

    private static String took(Build build) {
        if (build.startTime() == null || build.endTime() == null) {
            return "";
        }
        return " in " + ExecutionWatcher.human(Duration.between(build.startTime(), build.endTime()));
    }

    /** The phase that failed and what CodeBuild said about it. */
    private static String failedPhase(Build build) {
        if (build.buildStatus() == StatusType.SUCCEEDED || !build.hasPhases()) {
            return "";
        }
        for (BuildPhase phase : build.phases()) {
            if (phase.phaseStatus() != null && phase.phaseStatus() != StatusType.SUCCEEDED) {
                String context = phase.hasContexts() && !phase.contexts().isEmpty()
                        ? ": " + phase.contexts().get(0).message()
                        : "";
                return " in phase " + phase.phaseTypeAsString() + context;
            }
        }
        return "";
    }

    /** The log lines since the last read: the newest {@code logLines} the first time. */
    private void readLog(Track track) {
        GetLogEventsResponse page;
        try {
            page = aws.logs().getLogEvents(b -> {
                b.logGroupName(track.logGroup).logStreamName(track.logStream);
                if (track.logToken == null) {
                    b.startFromHead(false).limit(logLines);
                } else {
                    b.startFromHead(true).nextToken(track.logToken);
                }
            });
        } catch (ResourceNotFoundException e) {
            return; // the build has not written its log yet
        }
        track.logToken = page.nextForwardToken();
        List<OutputLogEvent> events = new ArrayList<>(page.events());
        if (events.size() > logLines) {
            print(track, "| (" + (events.size() - logLines) + " earlier lines skipped)");
            events = events.subList(events.size() - logLines, events.size());
        }
        for (OutputLogEvent event : events) {
            print(track, "| " + event.message().stripTrailing());
        }
    }

    private void print(Track track, String text) {
        out.println(TIME.format(Instant.now()) + "        " + track.imageType + " " + text);
        out.flush();
    }
}
