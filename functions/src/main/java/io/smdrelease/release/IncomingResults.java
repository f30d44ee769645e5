package io.smdrelease.release;

import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.gates.Candidate;
import io.smdrelease.gates.TestReport;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.SemVer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Moves what the candidate builds wrote under their own {@code incoming/<run>/<type>/} prefix into the version
 * directory, after checking it. The builds run third-party packages in privileged containers, so they may write only
 * there; the gates and everything after them read only what this step placed. A build that wrote nothing there (a
 * local build into a checkout writes into the version directory itself, and a rebuild from an existing env.out
 * exports none) leaves the version directory as it is.
 */
final class IncomingResults {
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    /** An explicit env.out: comments, {@code @EXPLICIT}, and package URLs. */
    private static final Pattern ENV_OUT_LINE = Pattern.compile("(#.*|@EXPLICIT|https?://\\S+)?");

    private IncomingResults() {}

    static void collect(ArtifactStore store, ImageConfigs configs, ReleasePlan plan) {
        SemVer version = SemVer.parseImageVersion(plan.targetVersion());
        for (PlannedBuild build : plan.builds()) {
            ImageConfig config = configs.forType(version.major(), build.imageType());
            String from = ReleaseFiles.incoming(plan.runId(), build.imageType());
            String envOut = config.envOutFile();
            String report = ReleaseFiles.testReport(build.imageType());
            String candidate = ReleaseFiles.candidate(build.imageType());
            Map<String, byte[]> files =
                    store.readAll(List.of(from + "/" + envOut, from + "/" + report, from + "/" + candidate));
            List<String> moved = new ArrayList<>();
            byte[] envOutBytes = files.get(from + "/" + envOut);
            if (envOutBytes != null) {
                checkEnvOut(envOutBytes, store.locationOf(from + "/" + envOut));
                moved.add(envOut);
            }
            byte[] reportBytes = files.get(from + "/" + report);
            if (reportBytes != null) {
                TestReport parsed = Json.read(reportBytes, TestReport.class, store.locationOf(from + "/" + report));
                require(
                        build.imageType().equals(parsed.imageType()),
                        from + "/" + report,
                        "is about " + parsed.imageType() + ", not " + build.imageType());
                moved.add(report);
            }
            byte[] candidateBytes = files.get(from + "/" + candidate);
            if (candidateBytes == null && store.tracksReleases()) {
                // in a bucket a build writes only there: an older candidate in the version is not this run's
                throw new MissingArtifactException("the " + build.imageType() + " build of this run recorded no"
                        + " candidate (" + store.locationOf(from + "/" + candidate) + " is missing): its push did not"
                        + " finish; build the candidates again");
            }
            if (candidateBytes != null) {
                checkCandidate(
                        Json.read(candidateBytes, Candidate.class, store.locationOf(from + "/" + candidate)),
                        build,
                        plan.stagingRepository(),
                        from + "/" + candidate);
                moved.add(candidate);
            }
            for (String name : moved) {
                store.write(plan.versionDir() + "/" + name, files.get(from + "/" + name));
            }
        }
    }

    /** The candidate must be the image this build was told to push: the staging repository, its tag, a digest. */
    private static void checkCandidate(Candidate candidate, PlannedBuild build, String staging, String where) {
        require(build.imageType().equals(candidate.imageType()), where, "is about " + candidate.imageType());
        require(
                Objects.equals(staging, candidate.repository()),
                where,
                "names the repository " + candidate.repository() + ", not the staging repository " + staging);
        require(
                build.candidateTag().equals(candidate.tag()),
                where,
                "names the tag " + candidate.tag() + ", not the planned candidate tag " + build.candidateTag());
        require(
                candidate.digest() == null
                        ? staging == null
                        : DIGEST.matcher(candidate.digest()).matches(),
                where,
                "holds no sha256 digest: " + candidate.digest());
    }

    private static void checkEnvOut(byte[] bytes, String where) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        require(text.lines().anyMatch("@EXPLICIT"::equals), where, "is no explicit package list (no @EXPLICIT)");
        text.lines()
                .filter(line -> !ENV_OUT_LINE.matcher(line.strip()).matches())
                .findFirst()
                .ifPresent(line -> require(false, where, "has a line that is no package URL: " + line));
    }

    private static void require(boolean condition, String where, String problem) {
        if (!condition) {
            throw new MissingArtifactException(where + " " + problem + ": the build's results were refused, nothing"
                    + " was moved into the version; build the candidates again");
        }
    }
}
