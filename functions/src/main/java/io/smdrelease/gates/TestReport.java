package io.smdrelease.gates;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The distribution's own image tests as one build ran them ({@code test-report-<type>.json}): every case with its
 * result, so that the gate can tell "passed" from "ran nothing".
 *
 * @param skipTests whether the build skipped the tests on request
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TestReport(
        String imageType, String image, String imageId, String harness, boolean skipTests, List<Case> cases) {

    public TestReport {
        cases = cases == null ? List.of() : List.copyOf(cases);
    }

    /** One test case: {@code result} is {@code passed}, {@code failed} or {@code skipped} (with its reason). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Case(String name, String result, String reason, Double seconds) {}

    public List<Case> withResult(String result) {
        return cases.stream().filter(c -> result.equals(c.result())).toList();
    }
}
