package io.smdrelease.gates;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gates' verdict on the candidates of a version, written to {@code gates.json}: every result, waivers included,
 * and the digests they judged, so that promotion can check it promotes exactly what passed.
 *
 * @param digests per image type, the candidate digest the gates judged ({@code null} values for unstaged ones)
 */
public record GateReport(
        String version, String execution, String evaluatedAt, Map<String, String> digests, List<GateResult> results) {

    public GateReport {
        digests = Collections.unmodifiableMap(new LinkedHashMap<>(digests)); // null: an unstaged candidate
        results = List.copyOf(results);
    }

    public boolean passed() {
        return failures().isEmpty();
    }

    public List<GateResult> failures() {
        return results.stream().filter(r -> r.status() == GateStatus.FAILED).toList();
    }

    public List<GateResult> waivers() {
        return results.stream().filter(r -> r.status() == GateStatus.WAIVED).toList();
    }
}
