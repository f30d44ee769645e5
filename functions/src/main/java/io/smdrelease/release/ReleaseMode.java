package io.smdrelease.release;

/** How far a run takes a version through the lifecycle (generated → candidate → gated → released). */
public enum ReleaseMode {
    /** Candidates, gates, optional approval, promotion, release.json: a whole release. */
    RELEASE,
    /** Candidates and gates only, e.g. a nightly: nothing is promoted, no alias moves. */
    CANDIDATE,
    /** The existing candidates of a version: gates again, optional approval, promotion, release.json. */
    PROMOTE
}
