package io.smdrelease.tags;

import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.layout.ReleasedVersions;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.SemVer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which tags a version's images get (the original tool's {@code _get_version_tags}, docs/original-tool.md §3): the
 * version itself, then {@code M.m}, {@code M} and {@code latest} (each with the version's {@code -prerelease}) for as
 * long as no newer patch, minor or major version exists.
 *
 * <p>A later version takes the tags away only when it is released ({@link ReleasedVersions}: release.json in a
 * bucket, the image type's env.out in a checkout), so a generated, failed or candidate version does not.
 */
public final class VersionTags {
    private final ReleasedVersions released;
    private final ImageConfigs imageConfigs;

    public VersionTags(ArtifactStore store, ImageConfigs imageConfigs) {
        this.released = new ReleasedVersions(store);
        this.imageConfigs = imageConfigs;
    }

    /**
     * The version labels before the image type is applied, e.g. {@code [4.4.1, 4.4, 4, latest]}.
     *
     * @param envOutFile the env.out file that makes a version "built" for this image type
     */
    public List<String> labels(SemVer version, String envOutFile) {
        String suffix = version.isPrerelease() ? "-" + version.prerelease() : "";
        List<String> labels = new ArrayList<>(4);
        labels.add(version.toString());
        if (exists(keepPrerelease(version.bumpPatch(), version), envOutFile)) {
            return labels;
        }
        labels.add(version.major() + "." + version.minor() + suffix);
        if (exists(keepPrerelease(version.bumpMinor(), version), envOutFile)) {
            return labels;
        }
        labels.add(version.major() + suffix);
        if (!exists(keepPrerelease(version.bumpMajor(), version), envOutFile)) {
            labels.add("latest" + suffix);
        }
        return labels;
    }

    /** The image tags of one image type, e.g. {@code [4.4.1-cpu, 4.4-cpu, 4-cpu, latest-cpu]}. */
    public List<String> tags(SemVer version, ImageConfig config) {
        return labels(version, config.envOutFile()).stream().map(config::tag).toList();
    }

    /** The image tags per image type of the version's major, gpu first. */
    public Map<String, List<String>> tagsByImageType(SemVer version) {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (ImageConfig config : imageConfigs.forMajor(version.major())) {
            byType.put(config.imageType(), tags(version, config));
        }
        return byType;
    }

    private boolean exists(SemVer version, String envOutFile) {
        return released.isReleased(version, envOutFile);
    }

    private static SemVer keepPrerelease(SemVer next, SemVer version) {
        return version.isPrerelease() ? next.withPrerelease(version.prerelease()) : next;
    }
}
