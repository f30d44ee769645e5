package io.smdrelease.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One version directory to publish.
 *
 * @param versionDir    the version directory, e.g. {@code build_artifacts/v4/v4.4/v4.4.1}
 * @param files         the version's files with their modes, keyed by store path (all below {@code versionDir})
 * @param sideFiles     files outside the version directory that belong to the same change, written before the
 *                      version (a per-minor template copied for a new minor); never overwritten if present
 * @param emptyDirs     empty directories to create, as store paths: those below {@code versionDir} are part of the
 *                      version (a template's empty {@code dirs/} entries), the others go beside it like side files
 * @param replace       {@code --force}: replace an existing version
 * @param keepNames     top-level file names of an existing version that survive a replacement
 *                      ({@code *.additional_packages_env.in})
 * @param sourceVersion the raw base version the files were generated from, recorded in a bucket's manifest
 * @param owner         who publishes, recorded in a bucket's lock and manifest
 */
public record VersionPublication(
        String versionDir,
        Map<String, ArtifactFile> files,
        Map<String, ArtifactFile> sideFiles,
        Set<String> emptyDirs,
        boolean replace,
        Set<String> keepNames,
        String sourceVersion,
        PublicationOwner owner) {

    public VersionPublication {
        Objects.requireNonNull(versionDir, "versionDir");
        Objects.requireNonNull(owner, "owner");
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        sideFiles = Collections.unmodifiableMap(new LinkedHashMap<>(sideFiles));
        emptyDirs = Collections.unmodifiableSet(new TreeSet<>(emptyDirs));
        keepNames = Set.copyOf(keepNames);
        for (String path : files.keySet()) {
            if (!path.startsWith(versionDir + "/")) {
                throw new IllegalArgumentException(path + " is not below " + versionDir);
            }
        }
        emptyDirs.forEach(StorePaths::check);
    }

    /** A publication by this process ({@link PublicationOwner#thisProcess()}) without empty directories. */
    public VersionPublication(
            String versionDir,
            Map<String, ArtifactFile> files,
            Map<String, ArtifactFile> sideFiles,
            boolean replace,
            Set<String> keepNames,
            String sourceVersion) {
        this(versionDir, files, sideFiles, Set.of(), replace, keepNames, sourceVersion, PublicationOwner.thisProcess());
    }

    /** The same publication by {@code owner} (e.g. the pipeline's execution ARN and maximum run time). */
    public VersionPublication ownedBy(PublicationOwner owner) {
        return new VersionPublication(
                versionDir, files, sideFiles, emptyDirs, replace, keepNames, sourceVersion, owner);
    }

    /** Whether {@code path} (a file or directory) is inside the version directory. */
    public boolean inVersion(String path) {
        return path.startsWith(versionDir + "/");
    }
}
