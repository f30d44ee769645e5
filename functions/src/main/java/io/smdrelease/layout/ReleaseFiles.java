package io.smdrelease.layout;

/**
 * The files a release leaves in its version directory ({@code build_artifacts/vX/vX.Y/vX.Y.Z}), one per lifecycle
 * step: the candidate builds write {@code <type>.env.out}, {@link #testReport} and {@link #candidate}; the gates
 * {@link #GATES_JSON}; Finalize {@link #RELEASE_JSON} last, which makes the version released.
 */
public final class ReleaseFiles {
    /** Written last by Finalize: the version is released. */
    public static final String RELEASE_JSON = "release.json";
    /** The gates' results and waivers for the candidates of the version. */
    public static final String GATES_JSON = "gates.json";
    /** The signatures and SBOMs of the gated candidates, as pushed beside them in the staging repository. */
    public static final String SIGNATURES_JSON = "signatures.json";
    /** A released version marked bad: never again a base nor an alias target. */
    public static final String YANKED_JSON = "yanked.json";
    /** A pending approval request: the task token and the evidence sent with it. */
    public static final String APPROVAL_JSON = "approval.json";
    /** Why the latest run of the version failed: stage, error, cause and the next step (the pipeline's Record failure). */
    public static final String FAILURE_JSON = "failure.json";

    private ReleaseFiles() {}

    /** {@code candidate-cpu.json}: where the cpu build pushed its tested image, by digest. */
    public static String candidate(String imageType) {
        return "candidate-" + imageType + ".json";
    }

    /** {@code cpu.sbom.cdx.json}: the CycloneDX SBOM of the cpu image, made from its env.out. */
    public static String sbom(String imageType) {
        return imageType + ".sbom.cdx.json";
    }

    /**
     * {@code incoming/<run>/<type>}: the only place a candidate build may write (its env.out, test report and
     * candidate record). The gates step checks what it finds there and moves it into the version directory, so a build,
     * which runs third-party packages, can never forge another version's files or the pipeline's own.
     */
    public static String incoming(String runId, String imageType) {
        return "incoming/" + runId + "/" + imageType;
    }

    /** {@code test-report-cpu.json}: every image test case of the cpu build and its result. */
    public static String testReport(String imageType) {
        return "test-report-" + imageType + ".json";
    }
}
