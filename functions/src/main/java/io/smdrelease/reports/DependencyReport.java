package io.smdrelease.reports;

import io.smdrelease.changelog.ImageChangesets;
import io.smdrelease.changelog.PackageVersion;
import io.smdrelease.repodata.PackageRecord;
import io.smdrelease.repodata.RepodataIndex;
import io.smdrelease.version.ReleaseType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dependencies of the packages a minor or major release adds directly (docs/original-tool.md §5): the
 * {@code depends} of each {@code direct.added} package of the changelog's changesets, from the record of the installed
 * version.
 */
public record DependencyReport(String targetVersion, String baseVersion, List<String> repodata, List<Image> images) {

    public DependencyReport {
        repodata = List.copyOf(repodata);
        images = List.copyOf(images);
    }

    public record Image(String imageType, List<Row> rows) {
        public Image {
            rows = List.copyOf(rows);
        }
    }

    /** @param depends {@code null} when the index has no record of that version */
    public record Row(String name, String version, List<String> depends) {}

    /** Whether the report applies: minor and major targets only. */
    public static boolean appliesTo(ReleaseImages release) {
        return release.releaseType() != ReleaseType.PATCH;
    }

    public static DependencyReport build(ReleaseImages release, RepodataIndex index) {
        if (!appliesTo(release)) {
            throw new IllegalArgumentException("the dependency report covers minor and major releases only");
        }
        List<Image> images = new ArrayList<>();
        for (ReleaseImages.Image image : release.images()) {
            ImageChangesets changes =
                    ImageChangesets.derive(image.baseIn(), image.baseOut(), image.targetIn(), image.targetOut());
            List<Row> rows = new ArrayList<>();
            for (PackageVersion added : changes.direct().added()) {
                Optional<PackageRecord> record = index.find(added.name(), added.version());
                rows.add(new Row(
                        added.name(),
                        added.version(),
                        record.map(PackageRecord::depends).orElse(null)));
            }
            images.add(new Image(image.imageType(), rows));
        }
        return new DependencyReport(
                release.target().toString(),
                release.base() == null ? null : release.base().toString(),
                index.sources(),
                images);
    }

    public String toMarkdown() {
        StringBuilder out = new StringBuilder();
        for (Image image : images) {
            out.append("\n# Python Package Dependency Report (")
                    .append(image.imageType())
                    .append(")\n\n");
            out.append("### New Direct Packages and their Dependencies\n\n");
            if (image.rows().isEmpty()) {
                out.append("No direct package was added since ")
                        .append(baseVersion)
                        .append(".\n");
                continue;
            }
            Markdown.table(
                    out,
                    List.of("Package", "Version in the Target Image", "Dependencies"),
                    image.rows().stream()
                            .map(r -> List.of(
                                    r.name(),
                                    r.version(),
                                    r.depends() == null ? "(not in the index)" : String.join(", ", r.depends())))
                            .toList());
        }
        out.append("\nDependencies from ").append(String.join(", ", repodata)).append(".\n");
        return out.toString();
    }
}
