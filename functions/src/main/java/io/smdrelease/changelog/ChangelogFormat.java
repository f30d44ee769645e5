package io.smdrelease.changelog;

import io.smdrelease.version.SemVer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes of {@code CHANGELOG-<type>.md}, {@code RELEASE.md} and the GitHub release note (docs/original-tool.md
 * §4).
 */
public final class ChangelogFormat {
    static final String DIRECT_HEADING =
            "## Direct dependencies\n\n> [!NOTE]\n> These packages are explicitly included in"
                    + " the image. Their updates follow SageMaker Distribution's [versioning strategy]"
                    + "(https://github.com/aws/sagemaker-distribution#versioning-strategy).\n\n";
    static final String INDIRECT_HEADING = "\n## Indirect dependencies\n\n> [!NOTE]\n> These packages are pulled in"
            + " automatically to satisfy the requirements of the direct dependencies. Their versions may vary between"
            + " releases.\n\n";
    static final String GALLERY_URL = "https://gallery.ecr.aws/sagemaker/sagemaker-distribution";
    static final String PUBLIC_IMAGE = "public.ecr.aws/sagemaker/sagemaker-distribution";
    static final String GITHUB_BLOB = "https://github.com/aws/sagemaker-distribution/blob/main/";

    private ChangelogFormat() {}

    /** {@code CHANGELOG-<type>.md}: the current format (since 2026-03-16). */
    public static String changelog(SemVer target, String imageType, SemVer base, ImageChangesets changes) {
        StringBuilder out = new StringBuilder(8192);
        out.append("# Change log: ")
                .append(target)
                .append(" (")
                .append(imageType)
                .append(")\n\n")
                .append("This page lists all package changes since the previous release (")
                .append(base)
                .append(").\n\n");
        if (!changes.direct().isEmpty()) {
            out.append(DIRECT_HEADING);
            section(out, changes.direct());
        }
        if (!changes.indirect().isEmpty()) {
            out.append(INDIRECT_HEADING);
            section(out, changes.indirect());
        }
        return out.toString();
    }

    private static void section(StringBuilder out, Changeset changes) {
        if (!changes.changed().isEmpty()) {
            out.append("### Changed\n\n");
            List<List<String>> rows = new ArrayList<>(changes.changed().size());
            for (PackageChange c : changes.changed()) {
                rows.add(List.of(c.name(), c.previous(), c.current(), c.changeType()));
            }
            table(out, List.of("Package", "Previous Version", "Current Version", "Change Type"), rows);
        }
        if (!changes.added().isEmpty()) {
            out.append("\n### New\n\n");
            table(out, List.of("Package", "Version"), rows(changes.added()));
        }
        if (!changes.removed().isEmpty()) {
            out.append("\n### Removed\n\n");
            table(out, List.of("Package", "Last Version"), rows(changes.removed()));
        }
    }

    private static List<List<String>> rows(List<PackageVersion> packages) {
        List<List<String>> rows = new ArrayList<>(packages.size());
        for (PackageVersion p : packages) {
            rows.add(List.of(p.name(), p.version()));
        }
        return rows;
    }

    /** Header cells joined by {@code " | "}, a {@code ---|---} line, then rows joined by {@code |}. */
    private static void table(StringBuilder out, List<String> header, List<List<String>> rows) {
        out.append(String.join(" | ", header)).append('\n');
        for (int i = 0; i < header.size(); i++) {
            out.append(i == 0 ? "---" : "|---");
        }
        out.append('\n');
        for (List<String> row : rows) {
            out.append(String.join("|", row)).append('\n');
        }
    }

    /**
     * {@code RELEASE.md}: one row per direct package of any image type (the first type's packages first, each type's
     * in env.out order), one column per image type; a package a type does not have shows a single space.
     *
     * @param directByType per image type in config order (gpu, cpu), the direct packages' installed versions
     */
    public static String releaseNotes(SemVer target, Map<String, Map<String, String>> directByType) {
        StringBuilder out = new StringBuilder(4096);
        out.append("# Release notes: ")
                .append(target)
                .append("\n\nPackage | ")
                .append(String.join("| ", directByType.keySet()))
                .append("\n---");
        for (int i = 0; i < directByType.size(); i++) {
            out.append("|---");
        }
        out.append('\n');
        Map<String, Boolean> names = new LinkedHashMap<>();
        for (Map<String, String> packages : directByType.values()) {
            for (String name : packages.keySet()) {
                names.putIfAbsent(name, Boolean.TRUE);
            }
        }
        for (String name : names.keySet()) {
            out.append(name);
            for (Map<String, String> packages : directByType.values()) {
                String version = packages.get(name);
                out.append('|').append(version == null ? " " : version);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The text of {@code generate-version-release-note}, each line ending in {@code \n}. */
    public static String versionReleaseNote(SemVer target, String imageType) {
        String dir = GITHUB_BLOB + "build_artifacts/v" + target.major() + "/v" + target.major() + "." + target.minor()
                + "/v" + target.core() + "/";
        return "### Public ECR Gallery URL\n"
                + GALLERY_URL + "\n"
                + "### Public ECR Image URL\n"
                + "```\n"
                + PUBLIC_IMAGE + ":" + target + "-" + imageType + "\n"
                + "```\n"
                + "## Change Logs\n"
                + "Change log: " + dir + "CHANGELOG-" + imageType + ".md\n"
                + "Release note: " + dir + "RELEASE.md\n";
    }
}
