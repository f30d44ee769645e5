package io.smdrelease.gates;

import java.util.ArrayList;
import java.util.List;

/**
 * The distribution's own image tests, as each candidate build ran them. Passes an image type when no case failed and
 * at least one passed: a report of only skipped cases, no cases at all, or no report means the tests did not run, and
 * that fails unless the input waived the tests ({@code skipTests: true}), which is recorded as a waiver.
 */
public final class TestsGate implements Gate {
    public static final String NAME = "tests";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<GateResult> evaluate(GateContext context) {
        List<GateResult> results = new ArrayList<>();
        for (CandidateImage image : context.images()) {
            results.add(judge(image, context.skipTests()));
        }
        return results;
    }

    private static GateResult judge(CandidateImage image, boolean waived) {
        String type = image.imageType();
        if (waived) {
            return GateResult.waived(NAME, type, "skipTests: true waived the image tests; the image is not tested");
        }
        TestReport report = image.testReport();
        if (report == null) {
            return GateResult.failed(
                    NAME, type, "the build recorded no test report: the image tests did not run", List.of());
        }
        if (report.skipTests()) {
            return GateResult.failed(
                    NAME,
                    type,
                    "the build skipped the image tests, but the input did not waive" + " them (skipTests: true)",
                    List.of());
        }
        List<String> findings = new ArrayList<>();
        List<TestReport.Case> failed = report.withResult("failed");
        List<TestReport.Case> passed = report.withResult("passed");
        List<TestReport.Case> skipped = report.withResult("skipped");
        failed.forEach(c -> findings.add("failed: " + c.name() + reason(c)));
        skipped.forEach(c -> findings.add("skipped: " + c.name() + reason(c)));
        if (!failed.isEmpty()) {
            return GateResult.failed(
                    NAME,
                    type,
                    failed.size() + " of " + report.cases().size() + " image test cases failed: " + names(failed),
                    findings);
        }
        if (passed.isEmpty()) {
            String what = report.cases().isEmpty()
                    ? "the distribution defines no image test case for " + type
                    : "all " + report.cases().size() + " image test cases were skipped";
            return GateResult.failed(
                    NAME,
                    type,
                    what + ", so nothing was tested: add tests, or waive them with" + " skipTests: true",
                    findings);
        }
        return GateResult.passed(NAME, type, passed.size() + " passed, " + skipped.size() + " skipped", findings);
    }

    private static String reason(TestReport.Case c) {
        return c.reason() == null || c.reason().isBlank() ? "" : " (" + c.reason() + ")";
    }

    private static String names(List<TestReport.Case> cases) {
        return String.join(", ", cases.stream().map(TestReport.Case::name).toList());
    }
}
