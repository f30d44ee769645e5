package io.smdrelease.gates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smdrelease.vulnerability.CveAllowlist;
import io.smdrelease.vulnerability.Severity;
import io.smdrelease.vulnerability.Vulnerability;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** New fixable vulnerabilities against the base: the comparison itself, on findings as a scanner reports them. */
class CveDeltaTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-12-02");
    private static final Vulnerability OPENSSL =
            new Vulnerability("CVE-2023-0464", Severity.HIGH, true, "openssl", "3.0.7", "3.0.8");
    private static final Vulnerability CURL =
            new Vulnerability("CVE-2023-38545", Severity.HIGH, true, "curl", "7.87.0", "7.88.0");
    private static final Vulnerability URLLIB3_NO_FIX =
            new Vulnerability("CVE-2023-45803", Severity.MEDIUM, false, "urllib3", "1.26.12", null);
    private static final Vulnerability REQUESTS =
            new Vulnerability("CVE-2023-32681", Severity.MEDIUM, true, "requests", "2.28.0", "2.31.0");

    @Test
    void newFixableOnes_areTheCandidatesThatTheBaseLacks_samePackage() {
        Vulnerability opensslInLibssl =
                new Vulnerability("CVE-2023-0464", Severity.HIGH, true, "libssl3", "3.0.7", "3.0.8");
        CveDelta.Outcome outcome = CveDelta.delta(
                List.of(OPENSSL, CURL, URLLIB3_NO_FIX, REQUESTS, opensslInLibssl),
                List.of(OPENSSL, URLLIB3_NO_FIX),
                CveAllowlist.none("none"),
                TODAY,
                "4.4.0 (sha256:b)");
        assertEquals(List.of(CURL, REQUESTS, opensslInLibssl), outcome.added(), "unfixable new ones are not counted");
        assertEquals(List.of("vulnerabilities against 4.4.0 (sha256:b): 3 new fixable, 0 gone"), outcome.notes());
    }

    @Test
    void goneOnes_areCounted_andAnAllowlistedNewOneIsNoted_notAdded() {
        CveAllowlist allowlist = CveAllowlist.parse(
                "cve-allowlist.json",
                ("{\"entries\":[{\"id\":\"CVE-2023-38545\",\"reason\":\"curl is not used\",\"expires\":"
                                + "\"2027-01-01\"}]}")
                        .getBytes(StandardCharsets.UTF_8));
        CveDelta.Outcome outcome =
                CveDelta.delta(List.of(CURL), List.of(OPENSSL, REQUESTS), allowlist, TODAY, "4.4.0 (sha256:b)");
        assertEquals(List.of(), outcome.added());
        assertEquals(
                List.of(
                        "allowed new vulnerability: CVE-2023-38545 HIGH curl 7.87.0 (fixed in 7.88.0) by"
                                + " cve-allowlist.json until 2027-01-01: curl is not used",
                        "vulnerabilities against 4.4.0 (sha256:b): 0 new fixable, 2 gone"),
                outcome.notes());
    }
}
