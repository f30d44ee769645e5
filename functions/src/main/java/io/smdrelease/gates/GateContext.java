package io.smdrelease.gates;

import io.smdrelease.version.SemVer;
import java.util.List;

/**
 * What the gates of a release judge: the version, its base and its candidate images.
 *
 * @param base      the version it was generated from, {@code null} when unknown
 * @param skipTests the input's waiver of the image tests
 */
public record GateContext(SemVer version, SemVer base, List<CandidateImage> images, boolean skipTests) {

    public GateContext {
        images = List.copyOf(images);
    }
}
