package io.smdrelease.release;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.gates.Candidate;
import io.smdrelease.gates.CandidateImage;
import io.smdrelease.gates.TestReport;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.SemVer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads what the candidate builds of a version left in its directory: candidate records, env.out, test reports. */
final class CandidateImages {
    private CandidateImages() {}

    /**
     * The candidates of every image type of the plan, in one read.
     *
     * @throws MissingArtifactException naming the image type whose build left no candidate or env.out
     */
    static List<CandidateImage> read(ArtifactStore store, ImageConfigs configs, ReleasePlan plan) {
        SemVer version = SemVer.parseImageVersion(plan.targetVersion());
        String dir = plan.versionDir();
        List<String> paths = new ArrayList<>();
        for (String type : plan.imageTypes()) {
            paths.add(dir + "/" + ReleaseFiles.candidate(type));
            paths.add(dir + "/" + configs.forType(version.major(), type).envOutFile());
            paths.add(dir + "/" + ReleaseFiles.testReport(type));
        }
        Map<String, byte[]> files = store.readAll(paths);
        List<CandidateImage> images = new ArrayList<>();
        for (String type : plan.imageTypes()) {
            var config = configs.forType(version.major(), type);
            String candidatePath = dir + "/" + ReleaseFiles.candidate(type);
            byte[] candidate = files.get(candidatePath);
            if (candidate == null) {
                throw new MissingArtifactException("the " + type + " image of " + version + " has no candidate: "
                        + candidatePath + " is missing in " + store.location() + ", so its build did not push a"
                        + " tested image; build the candidates again (targetPatchVersion " + version + ")");
            }
            String envOutPath = dir + "/" + config.envOutFile();
            byte[] envOut = files.get(envOutPath);
            if (envOut == null) {
                throw new MissingArtifactException("the " + type + " image of " + version + " has no "
                        + config.envOutFile() + " in " + store.locationOf(dir) + ": its build did not export"
                        + " its packages; build the candidates again (targetPatchVersion " + version + ")");
            }
            String reportPath = dir + "/" + ReleaseFiles.testReport(type);
            byte[] report = files.get(reportPath);
            images.add(new CandidateImage(
                    config,
                    Json.read(candidate, Candidate.class, candidatePath),
                    envOut,
                    report == null ? null : Json.read(report, TestReport.class, reportPath)));
        }
        return images;
    }
}
