package io.smdrelease.artifacts;

import io.smdrelease.version.ReleaseType;
import java.util.Objects;

/**
 * A request to create the artifacts of the next version, as the original tool's
 * {@code create-<type>-version-artifacts --base-patch-version X [--pre-release-identifier P] [--force]}.
 *
 * @param basePatchVersion     the base version as the user wrote it (recorded raw in {@code source-version.txt})
 * @param preReleaseIdentifier {@code null} for none
 * @param replaceExisting      {@code --force}'s first meaning: replace an existing version (its
 *                             {@code *.additional_packages_env.in} files kept); its second, solving afresh from
 *                             env.in, is the build plan's {@code resolveAfresh}
 */
public record CreateRequest(
        ReleaseType releaseType, String basePatchVersion, String preReleaseIdentifier, boolean replaceExisting) {
    public CreateRequest {
        Objects.requireNonNull(releaseType, "releaseType");
        Objects.requireNonNull(basePatchVersion, "basePatchVersion");
        if (preReleaseIdentifier != null && preReleaseIdentifier.isEmpty()) {
            preReleaseIdentifier = null;
        }
    }
}
