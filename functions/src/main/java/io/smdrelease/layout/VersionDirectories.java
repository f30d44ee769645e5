package io.smdrelease.layout;

import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A version's directory in the distribution ({@code build_artifacts/vX/vX.Y/vX.Y.Z}): the one place that says whether
 * it is there (a complete directory: in a bucket, with its manifest) and where it came from
 * ({@code source-version.txt}), with the one message for a missing version.
 */
public final class VersionDirectories {
    /** The fix for a version that should have been created: the CLI's words (the pipeline translates them). */
    public static final String CREATE_IT = "create it first (create-*-version-artifacts)";
    /** The fix for a version a report or the changelog reads: it must be created and built. */
    public static final String CREATE_AND_BUILD_IT = "create and build it first";

    private VersionDirectories() {}

    /**
     * The directory of {@code version}, which must be complete.
     *
     * @param fix what the user should do when it is not, e.g. {@link #CREATE_IT}
     * @throws BaseNotFoundException naming the version, the directory, the store and the fix
     */
    public static String requireComplete(ArtifactStore store, SemVer version, String fix) {
        return requireComplete(store, "version", version, fix);
    }

    /** As {@link #requireComplete(ArtifactStore, SemVer, String)}, naming the version's role ({@code base version}). */
    public static String requireComplete(ArtifactStore store, String role, SemVer version, String fix) {
        String dir = ImageVersions.versionDir(version);
        if (!store.isComplete(dir)) {
            throw new BaseNotFoundException(
                    role + " " + version + " has no artifacts at " + dir + " in " + store.location() + ": " + fix);
        }
        return dir;
    }

    /**
     * The directory of the base a version was generated from, which must be complete.
     *
     * @param targetDir the directory whose {@code source-version.txt} named the base
     */
    public static String requireBase(ArtifactStore store, SemVer base, String targetDir) {
        String dir = ImageVersions.versionDir(base);
        if (!store.isComplete(dir)) {
            throw new BaseNotFoundException("base version " + base + " (from " + targetDir + "/"
                    + ImageVersions.SOURCE_VERSION_FILE + ") has no artifacts at " + dir + " in " + store.location()
                    + ": restore it or correct " + ImageVersions.SOURCE_VERSION_FILE);
        }
        return dir;
    }

    /** The raw text of a version's {@code source-version.txt}, or empty when it has none. */
    public static Optional<String> sourceVersion(ArtifactStore store, String versionDir) {
        return store.read(versionDir + "/" + ImageVersions.SOURCE_VERSION_FILE)
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }
}
