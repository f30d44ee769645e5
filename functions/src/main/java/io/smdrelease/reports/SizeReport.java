package io.smdrelease.reports;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.conda.MatchSpec;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.error.SizeLimitExceededException;
import io.smdrelease.repodata.PackageRecord;
import io.smdrelease.repodata.RepodataIndex;
import io.smdrelease.store.ArtifactStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Image and package sizes of a built version against its base (docs/original-tool.md §5): the images' sizes from the
 * staging repository (tag {@code V-<type>} against the base's tag), and per package of the env.out the size of its
 * conda package file from the repodata index. New packages are those in the target's env.out and not in the base's;
 * as in the original, the size gate fails when they take more than {@link #DEFAULT_LIMIT_PERCENT}% of the target's
 * conda packages (their total size), a share rounded to two decimals. A package the index does not have counts as 0
 * and is listed under {@code unknownSizes}.
 */
public record SizeReport(
        String targetVersion,
        String baseVersion,
        double limitPercent,
        String repository,
        List<String> repodata,
        List<Image> images) {

    public static final double DEFAULT_LIMIT_PERCENT = 5.0;
    private static final int TOP = 20;

    public SizeReport {
        repodata = List.copyOf(repodata);
        images = List.copyOf(images);
    }

    /**
     * One image type.
     *
     * @param targetImageSize    bytes of tag {@code targetTag}
     * @param baseImageSize      bytes of tag {@code baseTag}, or {@code null} when there is no base or no such image
     * @param basePackagesTotal  {@code null} without a base
     * @param largest            the {@value #TOP} largest packages of the target, largest first
     * @param changed            packages added or whose size changed, by absolute size change, largest first
     * @param newPackages        packages in the target's env.out and not in the base's, largest first
     * @param newPercentOfPackages {@code newPackagesTotal} as a percentage of {@code targetPackagesTotal}, rounded
     *                            to two decimals (0 when no package size is known)
     * @param unknownSizes       env.out packages the index has no record of (counted as 0)
     */
    public record Image(
            String imageType,
            String targetTag,
            long targetImageSize,
            String baseTag,
            Long baseImageSize,
            long targetPackagesTotal,
            Long basePackagesTotal,
            List<PackageSize> largest,
            List<PackageDelta> changed,
            List<PackageSize> newPackages,
            long newPackagesTotal,
            double newPercentOfPackages,
            List<String> unknownSizes) {
        public Image {
            largest = List.copyOf(largest);
            changed = List.copyOf(changed);
            newPackages = List.copyOf(newPackages);
            unknownSizes = List.copyOf(unknownSizes);
        }
    }

    public record PackageSize(String name, String version, long size) {}

    /** @param baseVersion {@code null} for a new package */
    public record PackageDelta(String name, String version, String baseVersion, long size, Long baseSize) {
        public long delta() {
            return size - (baseSize == null ? 0 : baseSize);
        }
    }

    /**
     * Builds the report.
     *
     * @throws MissingArtifactException when the staging repository has no image for the target's tag
     */
    public static SizeReport build(
            ReleaseImages release, RepodataIndex index, ImageSizes imageSizes, double limitPercent) {
        String target = release.target().toString();
        String base = release.base() == null ? null : release.base().toString();
        List<Image> images = new ArrayList<>();
        for (ReleaseImages.Image image : release.images()) {
            String targetTag = image.config().tag(target);
            OptionalLong targetSize = imageSizes.sizeOf(targetTag);
            if (targetSize.isEmpty()) {
                throw new MissingArtifactException("image " + targetTag + " is not in " + imageSizes.describe()
                        + ": build and push the " + image.imageType() + " image of " + target
                        + " to the staging repository first");
            }
            String baseTag = base == null ? null : image.config().tag(base);
            OptionalLong baseSize = baseTag == null ? OptionalLong.empty() : imageSizes.sizeOf(baseTag);

            List<String> unknown = new ArrayList<>();
            Map<String, PackageSize> targetPackages =
                    packageSizes(image.targetOut().packages(), index, unknown);
            Map<String, PackageSize> basePackages = packageSizes(image.baseOut().packages(), index, new ArrayList<>());
            long targetTotal = total(targetPackages);
            Long baseTotal = base == null ? null : total(basePackages);

            List<PackageSize> largest = new ArrayList<>(targetPackages.values());
            largest.sort(Comparator.comparingLong(PackageSize::size).reversed());
            largest = largest.subList(0, Math.min(TOP, largest.size()));

            List<PackageDelta> changed = new ArrayList<>();
            List<PackageSize> added = new ArrayList<>();
            for (PackageSize p : targetPackages.values()) {
                PackageSize before = basePackages.get(p.name());
                if (before == null) {
                    added.add(p);
                    changed.add(new PackageDelta(p.name(), p.version(), null, p.size(), null));
                } else if (before.size() != p.size() || !before.version().equals(p.version())) {
                    changed.add(new PackageDelta(p.name(), p.version(), before.version(), p.size(), before.size()));
                }
            }
            changed.sort(Comparator.comparingLong((PackageDelta d) -> Math.abs(d.delta()))
                    .reversed());
            added.sort(Comparator.comparingLong(PackageSize::size).reversed());
            if (base == null) {
                added.clear();
                changed.clear();
            }
            long newTotal = added.stream().mapToLong(PackageSize::size).sum();
            double percent = targetTotal == 0 ? 0 : roundToHundredths((double) newTotal / targetTotal * 100);
            images.add(new Image(
                    image.imageType(),
                    targetTag,
                    targetSize.getAsLong(),
                    baseTag,
                    baseSize.isPresent() ? baseSize.getAsLong() : null,
                    targetTotal,
                    baseTotal,
                    largest,
                    changed,
                    added,
                    newTotal,
                    percent,
                    unknown));
        }
        return new SizeReport(target, base, limitPercent, imageSizes.describe(), index.sources(), images);
    }

    /**
     * The release pipeline's optional size gate (state machine input {@code validateSize}): loads the built target
     * and its base from the store, builds the report and validates it.
     *
     * @return the report, when the gate passes
     * @throws SizeLimitExceededException when the new packages of an image take more than {@code limitPercent}
     * @throws MissingArtifactException   when the target's env.out or its image in the repository is missing
     */
    public static SizeReport gate(
            ArtifactStore store,
            ImageConfigs configs,
            String targetVersion,
            RepodataIndex index,
            ImageSizes imageSizes,
            double limitPercent) {
        SizeReport report =
                build(ReleaseImages.load(store, configs, targetVersion, false), index, imageSizes, limitPercent);
        report.validate();
        return report;
    }

    private static Map<String, PackageSize> packageSizes(
            Map<String, MatchSpec> envOut, RepodataIndex index, List<String> unknown) {
        Map<String, PackageSize> sizes = new LinkedHashMap<>();
        for (MatchSpec spec : envOut.values()) {
            String version = spec.exactVersion();
            if (version == null) {
                continue; // the @EXPLICIT marker
            }
            Optional<PackageRecord> record =
                    spec.build() == null ? Optional.empty() : index.find(spec.key(), version, spec.build());
            if (record.isEmpty()) {
                record = index.find(spec.key(), version);
            }
            if (record.isEmpty()) {
                unknown.add(spec.key() + "=" + version);
            }
            sizes.put(
                    spec.key(),
                    new PackageSize(
                            spec.key(), version, record.map(PackageRecord::size).orElse(0L)));
        }
        return sizes;
    }

    /** Python's {@code round(x, 2)}: the exact binary value rounded, ties to even. */
    private static double roundToHundredths(double value) {
        return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static long total(Map<String, PackageSize> sizes) {
        return sizes.values().stream().mapToLong(PackageSize::size).sum();
    }

    /** The images whose new packages exceed the limit; empty when the release passes the gate. */
    public List<String> violations() {
        List<String> out = new ArrayList<>();
        if (baseVersion == null) {
            return out;
        }
        for (Image image : images) {
            if (image.newPercentOfPackages() > limitPercent) {
                out.add(String.format(
                        Locale.ROOT,
                        "%s: the %d new packages take %s, %.2f%% of the %s of conda packages in %s; the"
                                + " limit is %.2f%% (largest: %s)",
                        image.imageType(),
                        image.newPackages().size(),
                        Markdown.size(image.newPackagesTotal()),
                        image.newPercentOfPackages(),
                        Markdown.size(image.targetPackagesTotal()),
                        image.targetTag(),
                        limitPercent,
                        image.newPackages().stream()
                                .limit(3)
                                .map(p -> p.name() + " " + Markdown.size(p.size()))
                                .toList()));
            }
        }
        return out;
    }

    /**
     * The size gate: throws when the new packages of any image take more than the limit.
     *
     * @throws SizeLimitExceededException naming each image, its new packages' share and the largest of them
     */
    public void validate() {
        List<String> violations = violations();
        if (!violations.isEmpty()) {
            throw new SizeLimitExceededException("the size gate of " + targetVersion + " failed: "
                    + String.join("; ", violations)
                    + ". Remove or replace the large new packages, or skip the gate for this release.");
        }
    }

    public String toMarkdown() {
        StringBuilder out = new StringBuilder();
        for (Image image : images) {
            out.append("\n# Image Size Report (").append(image.imageType()).append(")\n\n");
            out.append("### Target Image Version: ")
                    .append(targetVersion)
                    .append(" | Base Image Version: ")
                    .append(baseVersion == null ? "-" : baseVersion)
                    .append("\n\n");
            Long imageDelta = image.baseImageSize() == null ? null : image.targetImageSize() - image.baseImageSize();
            Markdown.table(
                    out,
                    List.of(
                            "Target Image (" + image.targetTag() + ")",
                            "Base Image (" + (image.baseTag() == null ? "-" : image.baseTag()) + ")",
                            "Size Change Absolute Value",
                            "Size Change Relative Value"),
                    List.of(List.of(
                            Markdown.size(image.targetImageSize()),
                            image.baseImageSize() == null
                                    ? "(not in the repository)"
                                    : Markdown.size(image.baseImageSize()),
                            Markdown.size(imageDelta),
                            relative(imageDelta, image.baseImageSize()))));
            out.append("\nImage sizes from ").append(repository).append(".\n");

            out.append("\n# Python Package Size Report (")
                    .append(image.imageType())
                    .append(")\n");
            if (baseVersion == null) {
                out.append("\nWARNING: No base version (source-version.txt), only partial results will be shown.\n");
            }
            out.append("\n## Python Packages Total Size Summary\n\n");
            Long totalDelta =
                    image.basePackagesTotal() == null ? null : image.targetPackagesTotal() - image.basePackagesTotal();
            Markdown.table(
                    out,
                    List.of(
                            "Target Version Total Size",
                            "Base Version Total Size",
                            "Size Change Absolute Value",
                            "Size Change Relative Value"),
                    List.of(List.of(
                            Markdown.size(image.targetPackagesTotal()), Markdown.size(image.basePackagesTotal()),
                            Markdown.size(totalDelta), relative(totalDelta, image.basePackagesTotal()))));

            out.append("\n## Top-").append(TOP).append(" Largest Python Packages\n\n");
            Markdown.table(
                    out,
                    List.of("Package", "Version in the Target Image", "Size"),
                    image.largest().stream()
                            .map(p -> List.of(p.name(), p.version(), Markdown.size(p.size())))
                            .toList());

            if (baseVersion != null) {
                out.append("\n## Python Package Size Delta\n\n");
                Markdown.table(
                        out,
                        List.of(
                                "Package",
                                "Version in the Target Image",
                                "Version in the Base Image",
                                "Size Change Absolute Value",
                                "Size Change Relative Value"),
                        image.changed().stream()
                                .map(d -> List.of(
                                        d.name(),
                                        d.version(),
                                        d.baseVersion() == null ? "(new)" : d.baseVersion(),
                                        Markdown.size(d.delta()),
                                        relative(d.delta(), d.baseSize())))
                                .toList());
                out.append(String.format(
                        Locale.ROOT,
                        "%nNew packages: %d, %s, %.2f%% of the %s of conda packages (limit %.2f%%).%n",
                        image.newPackages().size(),
                        Markdown.size(image.newPackagesTotal()),
                        image.newPercentOfPackages(),
                        Markdown.size(image.targetPackagesTotal()),
                        limitPercent));
            }
            if (!image.unknownSizes().isEmpty()) {
                out.append("\nNot in the index (counted as 0): ")
                        .append(String.join(", ", image.unknownSizes()))
                        .append('\n');
            }
        }
        out.append("\nPackage sizes are conda package file sizes from ")
                .append(String.join(", ", repodata))
                .append(".\n");
        return out.toString();
    }

    private static String relative(Long delta, Long base) {
        if (delta == null || base == null || base == 0) {
            return "-";
        }
        return Markdown.percent(100.0 * delta / base);
    }
}
