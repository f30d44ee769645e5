package io.smdrelease.reports;

import io.smdrelease.conda.MatchSpec;
import io.smdrelease.repodata.CondaVersion;
import io.smdrelease.repodata.PackageRecord;
import io.smdrelease.repodata.RepodataIndex;
import io.smdrelease.repodata.VersionSpec;
import io.smdrelease.version.ReleaseType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How far the packages named in a built version's env.in (except {@code python}) are behind the channel
 * (docs/original-tool.md §5). The latest relevant version is the newest in the index overall for a major target, the
 * newest with the installed version's major for a minor target, the newest with its {@code M.m} for a patch target.
 *
 * @param releaseType of the target: {@code x.0.0} major, {@code x.y.0} minor, else patch
 */
public record StalenessReport(String targetVersion, String releaseType, List<String> repodata, List<Image> images) {

    public StalenessReport {
        repodata = List.copyOf(repodata);
        images = List.copyOf(images);
    }

    /** One image type's rows, in env.in order. */
    public record Image(String imageType, List<Row> rows) {
        public Image {
            rows = List.copyOf(rows);
        }
    }

    /**
     * One package.
     *
     * @param installed      the version the image installed (its env.out)
     * @param scope          the versions considered: {@code any}, {@code 1.*} or {@code 1.26.*}
     * @param latestRelevant the newest version in scope, or {@code null} when the index has none
     * @param stale          whether {@code latestRelevant} is newer than {@code installed}
     */
    public record Row(String name, String installed, String scope, String latestRelevant, boolean stale) {}

    public static StalenessReport build(ReleaseImages release, RepodataIndex index) {
        ReleaseType type = release.releaseType();
        List<Image> images = new ArrayList<>();
        for (ReleaseImages.Image image : release.images()) {
            Map<String, String> installed = installed(image);
            List<Row> rows = new ArrayList<>();
            for (String name : image.targetIn().packages().keySet()) {
                String version = installed.get(name);
                if (name.equals("python") || version == null) {
                    continue;
                }
                String scope = scope(type, version);
                Predicate<CondaVersion> filter = scope.equals("any") ? v -> true : VersionSpec.parse(scope);
                Optional<PackageRecord> latest = index.newest(name, filter);
                String latestVersion = latest.map(PackageRecord::version).orElse(null);
                CondaVersion current = CondaVersion.tryParse(version);
                boolean stale = latest.isPresent()
                        && current != null
                        && CondaVersion.parse(latestVersion).compareTo(current) > 0;
                rows.add(new Row(name, version, scope, latestVersion, stale));
            }
            images.add(new Image(image.imageType(), rows));
        }
        return new StalenessReport(release.target().toString(), type.id(), index.sources(), images);
    }

    private static Map<String, String> installed(ReleaseImages.Image image) {
        Map<String, String> versions = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, MatchSpec> e : image.targetOut().packages().entrySet()) {
            String version = e.getValue().exactVersion();
            if (version != null) {
                versions.put(e.getKey(), version);
            }
        }
        return versions;
    }

    /**
     * The versions a release type considers: {@code any} (major), {@code M.*} (minor), {@code M.m.*} (patch), from
     * the installed version's leading numeric fields ({@code 0.55b1} has major 0 and minor 55).
     */
    static String scope(ReleaseType type, String installed) {
        if (type == ReleaseType.MAJOR) {
            return "any";
        }
        String epoch = "";
        String rest = installed;
        int bang = rest.indexOf('!');
        if (bang >= 0) {
            epoch = rest.substring(0, bang + 1);
            rest = rest.substring(bang + 1);
        }
        String[] fields = rest.split("[._-]");
        int wanted = type == ReleaseType.MINOR ? 1 : 2;
        List<String> prefix = new ArrayList<>();
        for (int i = 0; i < fields.length && prefix.size() < wanted; i++) {
            int digits = 0;
            while (digits < fields[i].length() && Character.isDigit(fields[i].charAt(digits))) {
                digits++;
            }
            if (digits == 0) {
                break;
            }
            prefix.add(fields[i].substring(0, digits));
            if (digits < fields[i].length()) {
                break;
            }
        }
        if (prefix.isEmpty()) {
            return "any";
        }
        return epoch + String.join(".", prefix) + ".*";
    }

    /** The original tool's table per image type; stale rows are red. */
    public String toMarkdown() {
        StringBuilder out = new StringBuilder();
        for (Image image : images) {
            out.append("\n# Staleness Report: ")
                    .append(targetVersion)
                    .append('(')
                    .append(image.imageType())
                    .append(")\n\n");
            List<List<String>> rows = new ArrayList<>();
            for (Row row : image.rows()) {
                String name = row.stale() ? "${\\color{red}" + row.name() + "}$" : row.name();
                rows.add(List.of(
                        name,
                        row.installed(),
                        row.latestRelevant() == null ? "(not in the index)" : row.latestRelevant()));
            }
            Markdown.table(
                    out,
                    List.of(
                            "Package",
                            "Current Version in the Distribution image",
                            "Latest Relevant Version in Upstream"),
                    rows);
        }
        out.append("\nLatest relevant version: ")
                .append(
                        switch (releaseType) {
                            case "major" -> "the newest overall (major release).";
                            case "minor" -> "the newest with the same major version (minor release).";
                            default -> "the newest with the same major.minor version (patch release).";
                        })
                .append(" Index: ")
                .append(String.join(", ", repodata))
                .append('\n');
        return out.toString();
    }
}
