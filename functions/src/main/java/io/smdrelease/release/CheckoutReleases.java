package io.smdrelease.release;

import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.layout.ReleasedVersions;
import io.smdrelease.layout.VersionDirectories;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.Sha256;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The releases a checkout already holds, carried into a bucket seeded from it ({@code push-tree}). In a checkout a
 * version whose env.out exists is built, the original tool's rule; in a bucket only {@code release.json} makes a
 * version released. Without this a freshly seeded bucket would have no {@code latest} at all, although the repository's
 * history is a list of releases. Each such version gets a {@code release.json} that says where it came from and
 * records its env.out checksums, but no digest or repository: it was released before this pipeline.
 */
public final class CheckoutReleases {
    private CheckoutReleases() {}

    /**
     * Writes a {@code release.json} into {@code bucket} for every version {@code checkout} holds as built and the bucket
     * does not record as released yet.
     *
     * @return the versions recorded
     */
    public static List<String> record(ArtifactStore checkout, ArtifactStore bucket, Clock clock) {
        ReleasedVersions released = new ReleasedVersions(checkout);
        List<String> recorded = new java.util.ArrayList<>();
        for (SemVer version : versions(checkout)) {
            String dir = ImageVersions.versionDir(version);
            String path = dir + "/" + ReleaseFiles.RELEASE_JSON;
            if (!released.isReleased(version, null) || bucket.exists(path) || checkout.exists(path)) {
                continue;
            }
            Map<String, ReleaseRecord.Image> images = new LinkedHashMap<>();
            for (String name : checkout.children(dir)) {
                if (name.endsWith(".env.out")) {
                    byte[] envOut = checkout.read(dir + "/" + name).orElseThrow();
                    images.put(
                            name.substring(0, name.length() - ".env.out".length()),
                            new ReleaseRecord.Image(null, null, null, Sha256.hex(envOut), Map.of(), null, null));
                }
            }
            ReleaseRecord record = new ReleaseRecord(
                    version.toString(),
                    VersionDirectories.sourceVersion(checkout, dir).orElse(null),
                    "push-tree from " + checkout.location() + " (released before this pipeline)",
                    clock.instant().toString(),
                    null,
                    images,
                    List.of(),
                    List.of());
            bucket.write(path, Json.write(record));
            recorded.add(version.toString());
        }
        return recorded;
    }

    private static List<SemVer> versions(ArtifactStore store) {
        List<SemVer> out = new java.util.ArrayList<>();
        for (String major : store.children(ImageVersions.BUILD_ARTIFACTS)) {
            for (String minor : store.children(ImageVersions.BUILD_ARTIFACTS + "/" + major)) {
                String minorDir = ImageVersions.BUILD_ARTIFACTS + "/" + major + "/" + minor;
                for (String patch : store.children(minorDir)) {
                    SemVer version = patch.startsWith("v") ? SemVer.tryParseImageVersion(patch.substring(1)) : null;
                    if (version != null && ImageVersions.versionDir(version).equals(minorDir + "/" + patch)) {
                        out.add(version);
                    }
                }
            }
        }
        return out;
    }
}
