package io.smdrelease.buildplan;

import java.util.List;

/**
 * The build of a version, per image type in config order (gpu first).
 *
 * @param version    the version, e.g. {@code 4.4.1}
 * @param versionDir its directory, the build context: {@code build_artifacts/v4/v4.4/v4.4.1}
 * @param resolveAfresh whether the images are solved afresh even where an env.out exists (the second meaning of
 *                      --force; the first, replacing a version, is {@code CreateRequest.replaceExisting})
 */
public record BuildPlan(String version, String versionDir, boolean resolveAfresh, List<ImageBuildPlan> images) {
    public BuildPlan {
        images = List.copyOf(images);
    }

    /** The plan of one image type, or {@code null}. */
    public ImageBuildPlan image(String imageType) {
        return images.stream()
                .filter(i -> i.imageType().equals(imageType))
                .findFirst()
                .orElse(null);
    }
}
