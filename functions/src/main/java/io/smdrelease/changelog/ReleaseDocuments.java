package io.smdrelease.changelog;

import io.smdrelease.version.SemVer;
import java.util.Map;

/**
 * The changelogs and release notes of a version, computed before anything is written.
 *
 * @param changesets per image type (gpu first)
 * @param files      store path to content: {@code CHANGELOG-<type>.md} per type, then {@code RELEASE.md}
 */
public record ReleaseDocuments(
        SemVer target,
        SemVer base,
        String versionDir,
        Map<String, ImageChangesets> changesets,
        Map<String, String> files) {
    public ReleaseDocuments {
        changesets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(changesets));
        files = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
    }
}
