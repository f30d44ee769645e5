package io.smdrelease.release;

import java.util.List;

/**
 * What Generate decided: the version, where its candidates go and how each image type is built. It is the
 * {@code plan} every later step of the state machine receives (docs/contract.md), and what the CLI follows locally.
 *
 * @param execution         who runs the release: an execution ARN, or {@code cli:user@host}
 * @param runId             a short name of the run, part of the candidate tags
 * @param created           whether this run generated the version (false: it existed)
 * @param versionDir        the version's directory in the store, {@code build_artifacts/v4/v4.4/v4.4.1}
 * @param stagingRepository where candidates are pushed by digest; {@code null} for a local build without registry
 * @param imageTypes        the image types of this release, in build order
 * @param input             the validated execution input (release repositories, waivers, switches)
 * @param builds            the candidate builds; empty when the run promotes existing candidates
 */
public record ReleasePlan(
        String execution,
        String runId,
        ReleaseMode mode,
        String targetVersion,
        String sourceVersion,
        boolean created,
        String versionDir,
        String stagingRepository,
        List<String> imageTypes,
        ReleaseInput input,
        List<PlannedBuild> builds) {

    public ReleasePlan {
        imageTypes = List.copyOf(imageTypes);
        builds = List.copyOf(builds);
    }
}
