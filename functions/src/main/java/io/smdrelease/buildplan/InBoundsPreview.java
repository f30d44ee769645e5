package io.smdrelease.buildplan;

import io.smdrelease.repodata.CondaVersion;
import io.smdrelease.repodata.PackageRecord;
import io.smdrelease.repodata.RepodataIndex;
import io.smdrelease.repodata.VersionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * For each package of a {@link ReleasePreview}, the newest version in a channel's index that its new bounds admit,
 * and so which packages would change. Each package is looked at alone: this is <em>not</em> a solve, which may pick
 * older versions to satisfy the packages' dependencies on each other.
 */
public record InBoundsPreview(List<String> repodata, List<Image> images, String note) {
    public static final String NOT_A_SOLVE = "Not a full solve: each package's newest version within its own new"
            + " bounds, looked at alone. The solver may pick older versions to satisfy dependencies between packages"
            + " (and, like conda, '<X' admits pre-releases of X such as X rc1).";

    public InBoundsPreview {
        repodata = List.copyOf(repodata);
        images = List.copyOf(images);
    }

    /** @param changing the packages whose newest in-bounds version differs from the base's, or that are new */
    public record Image(String imageType, List<Package> packages, List<String> changing) {
        public Image {
            packages = List.copyOf(packages);
            changing = List.copyOf(changing);
        }
    }

    /**
     * @param bounds       the new bounds, {@code *} when there are none
     * @param baseResolved the base image's version, or {@code null}
     * @param newest       the newest version in bounds, or {@code null} when there is none
     * @param change       {@code same}, {@code newer}, {@code new} (no base version), {@code none in bounds} or
     *                     {@code not in the index}
     */
    public record Package(String name, String bounds, String baseResolved, String newest, String change) {}

    public static InBoundsPreview of(ReleasePreview preview, RepodataIndex index) {
        List<Image> images = new ArrayList<>();
        for (ReleasePreview.Image image : preview.images()) {
            List<Package> packages = new ArrayList<>();
            List<String> changing = new ArrayList<>();
            for (ReleasePreview.Package p : image.packages()) {
                String bounds = p.newBounds() == null ? "*" : p.newBounds();
                Optional<PackageRecord> newest = index.newest(p.name(), VersionSpec.parse(bounds));
                String version = newest.map(PackageRecord::version).orElse(null);
                String change;
                if (version == null) {
                    change = index.contains(p.name()) ? "none in bounds" : "not in the index";
                } else if (p.baseResolved() == null) {
                    change = "new";
                } else {
                    CondaVersion base = CondaVersion.tryParse(p.baseResolved());
                    change = base != null && base.equals(CondaVersion.parse(version)) ? "same" : "newer";
                }
                if (change.equals("new") || change.equals("newer")) {
                    changing.add(p.name());
                }
                packages.add(new Package(p.name(), bounds, p.baseResolved(), version, change));
            }
            images.add(new Image(image.imageType(), packages, changing));
        }
        return new InBoundsPreview(index.sources(), images, NOT_A_SOLVE);
    }
}
