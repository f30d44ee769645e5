package io.smdrelease.buildplan;

import java.util.List;

/**
 * What a {@code create-*-version-artifacts} run would produce, computed without writing anything.
 *
 * @param images per image type, gpu first
 */
public record ReleasePreview(
        String releaseType, String baseVersion, String targetVersion, String versionDir, List<Image> images) {

    public ReleasePreview {
        images = List.copyOf(images);
    }

    /**
     * One image type.
     *
     * @param packages   every package of the new env.in, in its order
     * @param added      packages the new env.in has and the base env.in had not (from the additional packages file)
     * @param removed    packages the base env.in had and the new env.in has not
     * @param tags       the tags the new version's image would get if it were built now
     * @param movingTags the floating tags among them ({@code M.m}, {@code M}, {@code latest}) that move to it
     */
    public record Image(
            String imageType,
            List<Package> packages,
            List<String> added,
            List<String> removed,
            List<String> tags,
            List<String> movingTags) {
        public Image {
            packages = List.copyOf(packages);
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            tags = List.copyOf(tags);
            movingTags = List.copyOf(movingTags);
        }
    }

    /**
     * One package of the new env.in.
     *
     * @param baseConstraint the constraint written in the base env.in or the additional file, or {@code null}
     * @param baseResolved   the version the base image installed, or {@code null} when it had none
     * @param newBounds      the new version range ({@code >=1.2.3,<1.3.0}), or {@code null} for none
     * @param newSpec        the written line, e.g. {@code conda-forge::numpy[version='>=1.26.4,<1.27.0']}
     */
    public record Package(
            String name,
            String baseConstraint,
            String baseResolved,
            String newBounds,
            String newSpec,
            boolean fromAdditional) {}
}
