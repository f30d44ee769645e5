package io.smdrelease.release;

import java.util.List;

/**
 * What a release input would do, decided by the very checks Generate makes, without writing anything
 * ({@link ReleaseLifecycle#check}): a tool that starts the pipeline refuses a bad input before any execution exists.
 *
 * @param targetVersion the version the run would build, e.g. {@code 4.4.1}
 * @param sourceVersion the base it comes from, {@code latest} resolved; {@code null} for a version without one
 * @param imageTypes    the image types it would build, in build order
 * @param exists        whether the version is generated already (built again, promoted, or replaced with force)
 */
public record ReleaseCheck(String targetVersion, String sourceVersion, List<String> imageTypes, boolean exists) {
    public ReleaseCheck {
        imageTypes = List.copyOf(imageTypes);
    }
}
