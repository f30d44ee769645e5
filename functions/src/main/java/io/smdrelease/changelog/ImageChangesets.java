package io.smdrelease.changelog;

import io.smdrelease.conda.EnvFile;
import io.smdrelease.conda.MatchSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The direct and indirect package changes of one image type between a base and a target version
 * (docs/original-tool.md §4).
 *
 * <p>Direct packages are those named in the env.in; the installed versions come from the env.out. A package named in
 * the target's env.in that the base only pulled in indirectly is <em>promoted</em>; one named in the base's env.in that
 * the target still installs but no longer names is <em>demoted</em>. Either appears only under "changed", and only
 * when its version moved.
 *
 * @param promoted in target env.in order
 * @param demoted  in base env.in order
 */
public record ImageChangesets(Changeset direct, Changeset indirect, Set<String> promoted, Set<String> demoted) {

    public ImageChangesets {
        promoted = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(promoted));
        demoted = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(demoted));
    }

    private static final Comparator<PackageChange> BY_CHANGE_TYPE =
            Comparator.comparingInt(change -> PackageChange.rank(change.changeType()));

    /** Derives the changesets; a missing file is passed as {@link EnvFile#empty}. */
    public static ImageChangesets derive(EnvFile sourceIn, EnvFile sourceOut, EnvFile targetIn, EnvFile targetOut) {
        Set<String> directSource = sourceIn.packages().keySet();
        Set<String> directTarget = targetIn.packages().keySet();
        Map<String, String> installedSource = installed(sourceOut);
        Map<String, String> installedTarget = installed(targetOut);

        Set<String> promoted = new LinkedHashSet<>();
        for (String k : directTarget) {
            if (installedSource.containsKey(k) && !directSource.contains(k)) {
                promoted.add(k);
            }
        }
        Set<String> demoted = new LinkedHashSet<>();
        for (String k : directSource) {
            if (!directTarget.contains(k) && installedTarget.containsKey(k)) {
                demoted.add(k);
            }
        }

        List<PackageChange> directChanged = new ArrayList<>();
        List<PackageVersion> directAdded = new ArrayList<>();
        for (Map.Entry<String, String> e : installedTarget.entrySet()) {
            String k = e.getKey();
            if (!directTarget.contains(k)) {
                continue;
            }
            String previous = installedSource.get(k);
            if (previous == null) {
                directAdded.add(new PackageVersion(k, e.getValue()));
            } else if (!previous.equals(e.getValue())) {
                directChanged.add(new PackageChange(k, previous, e.getValue()));
            }
        }
        List<PackageVersion> directRemoved = new ArrayList<>();
        for (Map.Entry<String, String> e : installedSource.entrySet()) {
            if (directSource.contains(e.getKey()) && !installedTarget.containsKey(e.getKey())) {
                directRemoved.add(new PackageVersion(e.getKey(), e.getValue()));
            }
        }

        // S' = the base's indirect packages plus the demoted ones, with their base versions
        Map<String, String> indirectSourceWithDemoted = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : installedSource.entrySet()) {
            if (!directSource.contains(e.getKey()) || demoted.contains(e.getKey())) {
                indirectSourceWithDemoted.put(e.getKey(), e.getValue());
            }
        }
        List<PackageChange> indirectChanged = new ArrayList<>();
        List<PackageVersion> indirectAdded = new ArrayList<>();
        for (Map.Entry<String, String> e : installedTarget.entrySet()) {
            String k = e.getKey();
            if (directTarget.contains(k)) {
                continue;
            }
            String previous = indirectSourceWithDemoted.get(k);
            if (previous != null) {
                if (!previous.equals(e.getValue())) {
                    indirectChanged.add(new PackageChange(k, previous, e.getValue()));
                }
            } else if (!demoted.contains(k)) {
                indirectAdded.add(new PackageVersion(k, e.getValue()));
            }
        }
        List<PackageVersion> indirectRemoved = new ArrayList<>();
        for (Map.Entry<String, String> e : installedSource.entrySet()) {
            String k = e.getKey();
            boolean inTargetIndirect = installedTarget.containsKey(k) && !directTarget.contains(k);
            if (!directSource.contains(k) && !inTargetIndirect && !promoted.contains(k)) {
                indirectRemoved.add(new PackageVersion(k, e.getValue()));
            }
        }

        directChanged.sort(BY_CHANGE_TYPE);
        indirectChanged.sort(BY_CHANGE_TYPE);
        return new ImageChangesets(
                new Changeset(directChanged, directAdded, directRemoved),
                new Changeset(indirectChanged, indirectAdded, indirectRemoved),
                promoted,
                demoted);
    }

    /**
     * An env.out's packages and versions, {@code ==} removed. As in the original, a package without a version reads
     * as {@code None} (the {@code @EXPLICIT} marker line).
     */
    static Map<String, String> installed(EnvFile envOut) {
        Map<String, String> versions = new LinkedHashMap<>(envOut.packages().size() * 2);
        for (Map.Entry<String, MatchSpec> e : envOut.packages().entrySet()) {
            versions.put(e.getKey(), versionOf(e.getValue()));
        }
        return versions;
    }

    static String versionOf(MatchSpec spec) {
        String version = spec.version();
        if (version == null) {
            return "None";
        }
        return version.startsWith("==") ? version.substring(2) : version;
    }
}
