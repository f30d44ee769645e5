package io.smdrelease.release;

import java.util.Locale;

/** Where a version stands in the release lifecycle (docs/design.md), as the files in its directory record it. */
public enum LifecycleState {
    /** Artifacts written and published ({@code manifest.json}); no candidate yet. */
    GENERATED,
    /** At least one image type built, tested and pushed to staging ({@code candidate-<type>.json}). */
    CANDIDATE,
    /** The gates passed (or were waived) on the current candidates ({@code gates.json}). */
    GATED,
    /** Promoted; {@code release.json} written. */
    RELEASED,
    /** Released, then marked bad ({@code yanked.json}). */
    YANKED,
    /** The latest run of the version failed after its last success ({@code failure.json}). */
    FAILED;

    /** The word the CLI prints: {@code gated}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
