package io.smdrelease.gates;

/** The outcome of a gate for an image type. A gate that did not run has no result, and the release fails. */
public enum GateStatus {
    PASSED,
    FAILED,
    /** Not checked because the input waived it explicitly (e.g. {@code skipTests: true}); recorded as such. */
    WAIVED
}
