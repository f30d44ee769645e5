package io.smdrelease.gates;

import io.smdrelease.vulnerability.CveAllowlist;
import io.smdrelease.vulnerability.CveVerdict;
import io.smdrelease.vulnerability.ImageScan;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CVE gate ({@code cveGate}): the registry's scan of each candidate digest (Amazon Inspector for ECR). A fixable
 * HIGH or CRITICAL finding fails the image type unless the distribution's {@value CveAllowlist#FILE} allows it (its
 * reason is recorded); unfixable findings are reported, not blocking. A candidate whose scan is not complete within
 * the bound fails: a gate that did not run is a failed gate.
 */
public final class CveGate implements Gate {
    /** The gate's name in results: {@code cve [gpu]}. */
    public static final String NAME = "cve";

    private final CandidateScans scans;
    private final CveAllowlist allowlist;
    private final Clock clock;

    /**
     * @param scans     the candidates' scans, shared with the regression gate
     * @param allowlist the distribution's allowlist
     * @param clock     the day the allowlist's expiry dates are compared with
     */
    public CveGate(CandidateScans scans, CveAllowlist allowlist, Clock clock) {
        this.scans = scans;
        this.allowlist = allowlist;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<GateResult> evaluate(GateContext context) {
        Map<String, CandidateScans.Waited> waited = scans.await(context.images());
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<GateResult> results = new ArrayList<>();
        for (CandidateImage image : context.images()) {
            String type = image.imageType();
            Candidate candidate = image.candidate();
            CandidateScans.Waited w = waited.get(type);
            if (w == null) {
                results.add(GateResult.failed(
                        NAME,
                        type,
                        "the candidate is in no registry, so nothing scanned it: the CVE gate judges candidates pushed"
                                + " to the staging repository",
                        List.of()));
                continue;
            }
            String scanLine = "scan: " + scans.findings().describe() + ", " + candidate.repository() + "@"
                    + candidate.digest() + ", " + w.rounds() + " request round(s) in " + seconds(w.waited());
            if (!w.scan().complete()) {
                results.add(GateResult.failed(NAME, type, notScanned(w, candidate), List.of(scanLine)));
                continue;
            }
            CveVerdict verdict = CveVerdict.judge(w.scan().findings(), allowlist, today);
            List<String> findings = new ArrayList<>(verdict.lines(CveAllowlist.FILE));
            findings.add(scanLine);
            results.add(
                    verdict.passed()
                            ? GateResult.passed(NAME, type, verdict.summary(), findings)
                            : GateResult.failed(
                                    NAME,
                                    type,
                                    verdict.summary() + ": upgrade the packages, or allow a vulnerability with its"
                                            + " reason and expiry in " + allowlist.source(),
                                    findings));
        }
        return results;
    }

    private String notScanned(CandidateScans.Waited w, Candidate candidate) {
        if (w.scan().state() == ImageScan.State.UNAVAILABLE) {
            return scans.findings().describe() + " will not scan " + candidate.digest() + " ("
                    + w.scan().status()
                    + "): the CVE gate cannot judge it; check that enhanced scanning covers " + candidate.repository()
                    + " and supports the image, or drop cveGate";
        }
        return "no scan result for " + candidate.digest() + " within "
                + seconds(scans.scanWait().bound()) + " ("
                + w.scan().status() + "): the CVE gate did not run; check that enhanced scanning covers "
                + candidate.repository() + ", then evaluate the gates again (promote: true)";
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
