package io.smdrelease.reports;

import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.layout.VersionDirectories;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.SemVer;

/**
 * The {@code env.out} of one built image type: the explicit package list the build exported, which the variant gate
 * and the SBOM read.
 *
 * @param versionDir the version's directory in the store, {@code build_artifacts/v4/v4.4/v4.4.0}
 * @param path       the env.out's store path
 */
public record ImageLock(SemVer version, ImageConfig config, String versionDir, String path, byte[] envOut) {

    /**
     * Reads the env.out of {@code imageType} of a built version.
     *
     * @throws io.smdrelease.error.InvalidInputException when the version or the image type is not valid
     * @throws BaseNotFoundException                     when the version has no artifacts in the store
     * @throws MissingArtifactException                  when the image type has no env.out (not built yet)
     */
    public static ImageLock load(ArtifactStore store, ImageConfigs configs, String version, String imageType) {
        SemVer target = SemVer.parseImageVersion(version);
        ImageConfig config = configs.forType(target.major(), imageType);
        String dir = VersionDirectories.requireComplete(store, target, VersionDirectories.CREATE_AND_BUILD_IT);
        String path = dir + "/" + config.envOutFile();
        byte[] envOut = store.read(path)
                .orElseThrow(() -> new MissingArtifactException(path + " is missing in " + store.location()
                        + ": it is what the build exports, so build the " + config.imageType() + " image of "
                        + target + " first"));
        return new ImageLock(target, config, dir, path, envOut);
    }
}
