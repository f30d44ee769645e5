package io.smdrelease.gates;

import io.smdrelease.artifacts.ImageConfig;

/**
 * Everything a gate may look at for one image type of a release: its configuration, the candidate, the env.out the
 * build exported and its test report. All of it was placed in the version directory by the build.
 *
 * @param testReport {@code null} when the build wrote none
 */
public record CandidateImage(ImageConfig config, Candidate candidate, byte[] envOut, TestReport testReport) {

    public String imageType() {
        return config.imageType();
    }
}
