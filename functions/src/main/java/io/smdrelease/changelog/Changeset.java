package io.smdrelease.changelog;

import java.util.List;

/**
 * The package changes of one kind (direct or indirect) of one image type.
 *
 * @param changed rows in changelog order: stable-sorted major, minor, patch, then unclassified
 * @param added   in target env.out order
 * @param removed in base env.out order
 */
public record Changeset(List<PackageChange> changed, List<PackageVersion> added, List<PackageVersion> removed) {
    public Changeset {
        changed = List.copyOf(changed);
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }

    public boolean isEmpty() {
        return changed.isEmpty() && added.isEmpty() && removed.isEmpty();
    }
}
