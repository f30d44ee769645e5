package io.smdrelease.release;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where and by whom a release runs, supplied by the adapter that starts the core (a Lambda handler or the CLI).
 *
 * @param execution         an execution ARN, or {@code cli:user@host}; owns the version's lock and manifest
 * @param runId             a short, tag-safe name of the run (the execution's name)
 * @param stagingRepository where the builds push candidates; {@code null} for none
 * @param fetchVariables    per version directory, the variables that tell a build where to fetch the version
 *                          ({@code ARTIFACT_BUCKET}/{@code ARTIFACT_PREFIX}, or {@code ARTIFACT_DIR} locally)
 * @param buildProjects     per image type, its CodeBuild project; returns {@code null} where no CodeBuild runs
 * @param lockMaxAge        the longest the run may hold a version's lock (the Generate step's timeout in the
 *                          pipeline): a lock older than that is taken over
 */
public record RunContext(
        String execution,
        String runId,
        String stagingRepository,
        Function<String, Map<String, String>> fetchVariables,
        Function<String, String> buildProjects,
        Duration lockMaxAge,
        Clock clock) {

    /** What a tag may hold after {@code candidate-<version>-<type>-}. */
    private static final Pattern TAG_UNSAFE = Pattern.compile("[^A-Za-z0-9_.-]");

    public RunContext {
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(fetchVariables, "fetchVariables");
        Objects.requireNonNull(buildProjects, "buildProjects");
        Objects.requireNonNull(lockMaxAge, "lockMaxAge");
        Objects.requireNonNull(clock, "clock");
        runId = TAG_UNSAFE.matcher(runId).replaceAll("-");
        if (runId.length() > 80) {
            runId = runId.substring(runId.length() - 80);
        }
    }

    /** The staging tag of a candidate, e.g. {@code candidate-4.4.1-cpu-nightly-2026-12-01}; at most 128 characters. */
    public String candidateTag(String version, String imageType) {
        String tag = "candidate-" + version + "-" + imageType + "-" + runId;
        return tag.length() <= 128 ? tag : tag.substring(0, 128);
    }
}
