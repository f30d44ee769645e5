package io.smdrelease.cli;

import io.smdrelease.artifacts.CreateRequest;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.buildplan.InBoundsPreview;
import io.smdrelease.buildplan.ReleasePreview;
import io.smdrelease.buildplan.ReleasePreviewer;
import io.smdrelease.repodata.RepodataReader;
import io.smdrelease.repodata.RepodataSource;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ReleaseType;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plan-release}: what {@code create-<type>-version-artifacts} would produce, without writing anything. */
@Command(
        name = "plan-release",
        description = "Print what create-<type>-version-artifacts would produce, without writing anything: the target"
                + " version, per image type and package the base constraint, the base's installed version and the"
                + " new bounds, packages added or removed relative to the base env.in, and the tags that would move"
                + " to the new version.")
final class PlanReleaseCommand extends BaseCommand {
    @Mixin
    StoreOptions storeOptions;

    @Option(
            names = "--base-patch-version",
            required = true,
            paramLabel = "VERSION",
            description = "The version to start from, e.g. 4.4.0.")
    String basePatchVersion;

    @Option(names = "--release-type", required = true, paramLabel = "TYPE", description = "patch, minor or major.")
    String releaseType;

    @Option(
            names = "--pre-release-identifier",
            paramLabel = "ID",
            description = "Preview a prerelease: the new version is <next>-ID.")
    String preReleaseIdentifier;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    @Option(
            names = "--repodata",
            paramLabel = "PATH|URL",
            split = ",",
            description = "Also show, per package, the newest version its new bounds admit in this repodata.json(.zst)"
                    + " file or URL (repeat it or separate with commas for linux-64 and noarch; 'conda-forge' for"
                    + " conda-forge's), and which packages would change. Not a full solve.")
    List<String> repodata;

    @Override
    protected ExitCode execute() throws Exception {
        CreateRequest request =
                new CreateRequest(ReleaseType.parse(releaseType), basePatchVersion, preReleaseIdentifier, false);
        ArtifactStore store = storeOptions.open();
        ReleasePreview preview = new ReleasePreviewer(store, ImageConfigs.load(store)).preview(request);
        InBoundsPreview inBounds = null;
        if (repodata != null) {
            List<String> locations = repodata.equals(List.of("conda-forge")) ? List.of() : repodata;
            inBounds = InBoundsPreview.of(preview, RepodataReader.read(RepodataSource.of(locations)));
        }
        if (json) {
            Object document = inBounds == null ? preview : Map.of("preview", preview, "newestInBounds", inBounds);
            out().println(JsonOutput.pretty(document));
        } else {
            printTables(out(), preview);
            if (inBounds != null) {
                printInBounds(out(), inBounds);
            }
        }
        return ExitCode.OK;
    }

    static void printTables(PrintWriter out, ReleasePreview preview) {
        out.println("Release " + preview.releaseType() + " of " + preview.baseVersion() + " -> "
                + preview.targetVersion() + " (" + preview.versionDir() + "), nothing written.");
        for (ReleasePreview.Image image : preview.images()) {
            out.println();
            out.println("## " + image.imageType());
            out.println();
            int width = "Package".length();
            for (ReleasePreview.Package p : image.packages()) {
                width = Math.max(width, p.name().length());
            }
            String format = "%-" + width + "s  %-24s  %-16s  %s%n";
            out.printf(format, "Package", "Base constraint", "Base resolved", "New bounds");
            for (ReleasePreview.Package p : image.packages()) {
                out.printf(
                        format,
                        p.name(),
                        orDash(p.baseConstraint()),
                        orDash(p.baseResolved()),
                        p.newBounds() == null ? "(any)" : p.newBounds());
            }
            out.println();
            out.println("Added:   " + listOrNone(image.added()));
            out.println("Removed: " + listOrNone(image.removed()));
            out.println("Tags:    " + String.join(" ", image.tags()));
            out.println("Moving:  " + listOrNone(image.movingTags()));
        }
        out.flush();
    }

    static void printInBounds(PrintWriter out, InBoundsPreview inBounds) {
        for (InBoundsPreview.Image image : inBounds.images()) {
            out.println();
            out.println("## " + image.imageType() + ": newest in bounds");
            out.println();
            int width = "Package".length();
            for (InBoundsPreview.Package p : image.packages()) {
                width = Math.max(width, p.name().length());
            }
            String format = "%-" + width + "s  %-24s  %-16s  %-16s  %s%n";
            out.printf(format, "Package", "New bounds", "Base resolved", "Newest in bounds", "Change");
            for (InBoundsPreview.Package p : image.packages()) {
                out.printf(format, p.name(), p.bounds(), orDash(p.baseResolved()), orDash(p.newest()), p.change());
            }
            out.println();
            out.println("Would change: " + listOrNone(image.changing()));
        }
        out.println();
        out.println("Repodata: " + String.join(", ", inBounds.repodata()));
        out.println(InBoundsPreview.NOT_A_SOLVE);
        out.flush();
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    private static String listOrNone(List<String> values) {
        return values.isEmpty() ? "(none)" : String.join(" ", values);
    }
}
