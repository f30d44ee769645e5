package io.smdrelease.reports;

import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.conda.EnvFile;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.layout.VersionDirectories;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.ReleaseType;
import io.smdrelease.version.SemVer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The env files of a built version and of its base (the first line of its {@code source-version.txt}), per image
 * type: what the reports compare. All files are read in one {@link ArtifactStore#readAll} call.
 *
 * @param base   {@code null} when the target has no {@code source-version.txt}
 * @param images per image type, gpu first
 */
public record ReleaseImages(SemVer target, SemVer base, List<Image> images) {

    public ReleaseImages {
        images = List.copyOf(images);
    }

    /**
     * The files of one image type; a missing base file reads as empty.
     *
     * @param baseIn  empty when there is no base
     * @param baseOut empty when there is no base
     */
    public record Image(ImageConfig config, EnvFile targetIn, EnvFile targetOut, EnvFile baseIn, EnvFile baseOut) {
        public String imageType() {
            return config.imageType();
        }
    }

    /** The kind of release a target version is: {@code x.0.0} major, {@code x.y.0} minor, anything else patch. */
    public static ReleaseType releaseTypeOf(SemVer target) {
        if (target.patch() != 0) {
            return ReleaseType.PATCH;
        }
        return target.minor() == 0 ? ReleaseType.MAJOR : ReleaseType.MINOR;
    }

    public ReleaseType releaseType() {
        return releaseTypeOf(target);
    }

    /**
     * Loads a built target version.
     *
     * @param requireBase whether a missing {@code source-version.txt} or base directory is an error
     * @throws MissingArtifactException when the target or one of its env files is missing
     */
    public static ReleaseImages load(
            ArtifactStore store, ImageConfigs configs, String targetVersion, boolean requireBase) {
        SemVer target = SemVer.parseImageVersion(targetVersion);
        String targetDir = VersionDirectories.requireComplete(store, target, VersionDirectories.CREATE_AND_BUILD_IT);
        SemVer base = baseOf(store, target, targetDir, requireBase).orElse(null);
        String baseDir = base == null ? null : ImageVersions.versionDir(base);
        if (baseDir != null && !store.isComplete(baseDir)) {
            if (requireBase) {
                VersionDirectories.requireBase(store, base, targetDir);
            }
            base = null;
            baseDir = null;
        }
        List<ImageConfig> imageConfigs = configs.forMajor(target.major());
        List<String> paths = new ArrayList<>();
        for (ImageConfig config : imageConfigs) {
            paths.add(targetDir + "/" + config.envInFile());
            paths.add(targetDir + "/" + config.envOutFile());
            if (baseDir != null) {
                paths.add(baseDir + "/" + config.envInFile());
                paths.add(baseDir + "/" + config.envOutFile());
            }
        }
        Map<String, byte[]> contents = store.readAll(paths);
        List<Image> images = new ArrayList<>();
        for (ImageConfig config : imageConfigs) {
            String outPath = targetDir + "/" + config.envOutFile();
            if (!contents.containsKey(outPath)) {
                throw new MissingArtifactException(outPath + " is missing in " + store.location() + ": the reports"
                        + " look at the built image's packages, so build the " + config.imageType() + " image of "
                        + target + " first");
            }
            String inPath = targetDir + "/" + config.envInFile();
            if (!contents.containsKey(inPath)) {
                throw new MissingArtifactException(inPath + " is missing in " + store.location()
                        + ": create the version with create-*-version-artifacts first");
            }
            images.add(new Image(
                    config,
                    env(contents, inPath),
                    env(contents, outPath),
                    env(contents, baseDir == null ? null : baseDir + "/" + config.envInFile()),
                    env(contents, baseDir == null ? null : baseDir + "/" + config.envOutFile())));
        }
        return new ReleaseImages(target, base, images);
    }

    private static Optional<SemVer> baseOf(ArtifactStore store, SemVer target, String targetDir, boolean required) {
        String path = targetDir + "/" + ImageVersions.SOURCE_VERSION_FILE;
        Optional<byte[]> content = store.read(path);
        if (content.isEmpty()) {
            if (required) {
                throw new MissingArtifactException(path + " is missing in " + store.location()
                        + ", so the base version of " + target + " is unknown: write the base version (e.g. 4.4.0)"
                        + " into it, as create-*-version-artifacts does");
            }
            return Optional.empty();
        }
        String firstLine = new String(content.get(), StandardCharsets.UTF_8)
                .lines()
                .findFirst()
                .orElse("")
                .strip();
        try {
            return Optional.of(SemVer.parseImageVersion(firstLine));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(path + ": " + e.getMessage(), e);
        }
    }

    private static EnvFile env(Map<String, byte[]> contents, String path) {
        if (path == null) {
            return EnvFile.empty("(no base)");
        }
        byte[] content = contents.get(path);
        return content == null ? EnvFile.empty(path) : EnvFile.parse(path, content);
    }
}
