package io.smdrelease.artifacts;

import io.smdrelease.store.VersionPublication;
import io.smdrelease.version.SemVer;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code create-*-version-artifacts} writes, computed before anything is written.
 *
 * @param packages        per image type (gpu first), the generated env.in lines
 * @param templateCreated the per-minor template directory copied from the previous minor, or {@code null}
 * @param warnings        what the user should know although nothing failed: packages left without a version bound
 *                        because the base has no env.out (in a checkout; a store that tracks releases refuses such a
 *                        base)
 */
public record GeneratedVersion(
        SemVer base,
        SemVer target,
        String versionDir,
        VersionPublication publication,
        Map<String, List<GeneratedPackage>> packages,
        String templateCreated,
        List<String> warnings) {

    public GeneratedVersion {
        warnings = List.copyOf(warnings);
    }

    /** The store paths of the version's files, in the order they were generated. */
    public List<String> files() {
        return List.copyOf(publication.files().keySet());
    }
}
