package io.smdrelease.gates;

import java.util.List;

/**
 * What one gate found for one image type.
 *
 * @param summary  one line a release engineer reads first
 * @param findings the details: failed cases, offending packages, findings with their reasons
 */
public record GateResult(String gate, String imageType, GateStatus status, String summary, List<String> findings) {

    public GateResult {
        findings = List.copyOf(findings);
    }

    public static GateResult passed(String gate, String imageType, String summary, List<String> findings) {
        return new GateResult(gate, imageType, GateStatus.PASSED, summary, findings);
    }

    public static GateResult failed(String gate, String imageType, String summary, List<String> findings) {
        return new GateResult(gate, imageType, GateStatus.FAILED, summary, findings);
    }

    public static GateResult waived(String gate, String imageType, String waiver) {
        return new GateResult(gate, imageType, GateStatus.WAIVED, waiver, List.of());
    }

    /** {@code tests [cpu]: 3 of 5 cases failed}. */
    public String describe() {
        return gate + " [" + imageType + "]: " + summary;
    }
}
