package io.smdrelease.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smdrelease.gates.Candidate;
import io.smdrelease.gates.GateReport;
import java.util.List;
import java.util.Map;

/**
 * One version's lifecycle state and the records behind it, read from its directory ({@link VersionStatuses}).
 *
 * @param execution  the run that brought the version to {@code state}: an execution ARN or {@code cli:user@host};
 *                   {@code null} when the store does not record it
 * @param since      when it reached {@code state} (ISO-8601), when recorded
 * @param candidates per image type, what its build pushed to staging
 * @param gates      the gates' verdict, {@code null} before the gates ran
 * @param approval   a pending approval request, {@code null} when none waits
 * @param release    {@code release.json}, {@code null} before the release
 * @param yank       {@code yanked.json}, {@code null} unless yanked
 * @param failure    {@code failure.json} of the latest failed run, {@code null} when none
 */
public record VersionStatus(
        String version,
        String versionDir,
        LifecycleState state,
        String execution,
        String since,
        Map<String, Candidate> candidates,
        GateReport gates,
        ApprovalRequest approval,
        ReleaseRecord release,
        Yank yank,
        Failure failure) {

    public VersionStatus {
        candidates = Map.copyOf(candidates);
    }

    /** {@code yanked.json}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Yank(String reason, String by, String at) {}

    /** {@code failure.json}, written by the pipeline's Record failure: the cause ends with the next step. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Failure(
            String stage, String error, String cause, String execution, String failedAt, List<String> imageTypes) {}
}
