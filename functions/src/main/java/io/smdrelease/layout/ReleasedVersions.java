package io.smdrelease.layout;

import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which versions count as released, the one rule behind {@code latest}, {@code latest-X.Y}, the tags of later
 * versions and the nightly's bases. In a store that records releases (a bucket) a version is released when its
 * {@code release.json} exists and it was not yanked. In a checkout the original tool's rule holds: a complete version
 * directory holding the image type's env.out is built.
 *
 * <p>An instance answers for one request and remembers what it asked.
 */
public final class ReleasedVersions {
    private static final String ENV_OUT = ".env.out";
    private final ArtifactStore store;
    private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

    public ReleasedVersions(ArtifactStore store) {
        this.store = store;
    }

    /**
     * Whether {@code version} is released; {@code envOutFile} names the image type's env.out for the checkout rule,
     * or is {@code null} for any image type's env.out.
     */
    public boolean isReleased(SemVer version, String envOutFile) {
        String dir = ImageVersions.versionDir(version);
        if (store.tracksReleases()) {
            return ask(dir + "/" + ReleaseFiles.RELEASE_JSON) && !ask(dir + "/" + ReleaseFiles.YANKED_JSON);
        }
        boolean complete = answers.computeIfAbsent(dir + "/", ignored -> store.isComplete(dir));
        if (!complete || ask(dir + "/" + ReleaseFiles.YANKED_JSON)) {
            return false;
        }
        if (envOutFile != null) {
            return ask(dir + "/" + envOutFile);
        }
        return answers.computeIfAbsent(
                dir + "/*" + ENV_OUT, ignored -> store.children(dir).stream().anyMatch(n -> n.endsWith(ENV_OUT)));
    }

    /** Whether {@code version} was yanked (marked bad after its release). */
    public boolean isYanked(SemVer version) {
        return ask(ImageVersions.versionDir(version) + "/" + ReleaseFiles.YANKED_JSON);
    }

    private boolean ask(String path) {
        return answers.computeIfAbsent(path, store::exists);
    }
}
