package io.smdrelease.release;

import io.smdrelease.error.GateFailedException;
import io.smdrelease.gates.CandidateImage;
import io.smdrelease.gates.Gate;
import io.smdrelease.gates.GateContext;
import io.smdrelease.gates.GateReport;
import io.smdrelease.gates.GateResult;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.SemVer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every gate on the candidates of a version and records the verdict in {@code gates.json}, passed or not, so that
 * the evidence survives a failure. Gates run one after the other; a gate that throws has not run, and the release
 * fails with it.
 */
final class GateEvaluation {
    private final ArtifactStore store;
    private final Clock clock;

    GateEvaluation(ArtifactStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    GateReport evaluate(ReleasePlan plan, List<CandidateImage> images, List<Gate> gates) {
        SemVer version = SemVer.parseImageVersion(plan.targetVersion());
        SemVer base = plan.sourceVersion() == null ? null : SemVer.tryParseImageVersion(plan.sourceVersion());
        GateContext context =
                new GateContext(version, base, images, plan.input().skipTests());
        List<GateResult> results = new ArrayList<>();
        for (Gate gate : gates) {
            results.addAll(gate.evaluate(context));
        }
        Map<String, String> digests = new LinkedHashMap<>();
        images.forEach(image -> digests.put(image.imageType(), image.candidate().digest()));
        GateReport report = new GateReport(
                plan.targetVersion(), plan.execution(), clock.instant().toString(), digests, results);
        store.write(plan.versionDir() + "/" + ReleaseFiles.GATES_JSON, Json.write(report));
        if (!report.passed()) {
            List<String> failed = report.failures().stream()
                    .map(r -> r.gate() + " [" + r.imageType() + "]")
                    .toList();
            StringBuilder message = new StringBuilder(
                    "the candidates of " + version + " failed " + failed.size() + " gate(s), nothing was promoted: ");
            report.failures().forEach(r -> message.append(r.describe()).append("; "));
            message.append("details in ")
                    .append(store.location())
                    .append('/')
                    .append(plan.versionDir())
                    .append('/')
                    .append(ReleaseFiles.GATES_JSON);
            throw new GateFailedException(message.toString(), failed);
        }
        return report;
    }
}
