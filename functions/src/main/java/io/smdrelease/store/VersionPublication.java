package io.smdrelease.store;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One version directory to publish.
 *
 * @param versionDir    the version directory, e.g. {@code build_artifacts/v4/v4.4/v4.4.1}
 * @param files         the version's files, keyed by store path (all below {@code versionDir})
 * @param sideFiles     files outside the version directory that belong to the same change, written before the
 *                      version (a per-minor template copied for a new minor); never overwritten if present
 * @param replace       {@code --force}: replace an existing version
 * @param keepNames     top-level file names of an existing version that survive a replacement
 *                      ({@code *.additional_packages_env.in})
 * @param sourceVersion the raw base version the files were generated from, recorded in a bucket's manifest
 */
public record VersionPublication(
        String versionDir,
        Map<String, byte[]> files,
        Map<String, byte[]> sideFiles,
        boolean replace,
        Set<String> keepNames,
        String sourceVersion) {

    public VersionPublication {
        Objects.requireNonNull(versionDir, "versionDir");
        files = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
        sideFiles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sideFiles));
        keepNames = Set.copyOf(keepNames);
        for (String path : files.keySet()) {
            if (!path.startsWith(versionDir + "/")) {
                throw new IllegalArgumentException(path + " is not below " + versionDir);
            }
        }
    }
}
