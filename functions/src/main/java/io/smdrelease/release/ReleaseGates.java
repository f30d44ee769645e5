package io.smdrelease.release;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.gates.Candidate;
import io.smdrelease.gates.CandidateScans;
import io.smdrelease.gates.CveDelta;
import io.smdrelease.gates.CveGate;
import io.smdrelease.gates.Gate;
import io.smdrelease.gates.RegressionGate;
import io.smdrelease.gates.TestsGate;
import io.smdrelease.gates.VariantGate;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import io.smdrelease.vulnerability.CveAllowlist;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The gates every release passes, in order, the same in the pipeline and the CLI. */
public final class ReleaseGates {
    private ReleaseGates() {}

    /**
     * The regression gate first (what got worse against the base leads the evidence), then the image tests and the
     * variant gate always; the size gate when the input asks for it ({@code validateSize}); the CVE gate when it asks
     * for that ({@code cveGate}), whose scans the regression gate then also compares with the base's.
     *
     * @param sizeGate the size gate, which needs registry and repodata adapters; asked only when it runs
     * @param scans    the candidates' vulnerability scans (a scanner adapter); asked only with {@code cveGate}
     * @throws io.smdrelease.error.InvalidInputException when the distribution's cve-allowlist.json is malformed
     */
    public static List<Gate> of(
            ReleaseInput input,
            ArtifactStore store,
            ImageConfigs configs,
            Clock clock,
            Supplier<Gate> sizeGate,
            Supplier<CandidateScans> scans) {
        CveGate cveGate = null;
        CveDelta cveDelta = null;
        if (input.cveGate()) {
            CandidateScans shared = scans.get();
            CveAllowlist allowlist = CveAllowlist.load(store);
            cveGate = new CveGate(shared, allowlist, clock);
            cveDelta = new CveDelta(shared, allowlist, version -> stagedImages(store, version), clock);
        }
        List<Gate> gates = new ArrayList<>();
        gates.add(new RegressionGate(store, configs, input.allowRegressions(), cveDelta));
        gates.add(new TestsGate());
        gates.add(new VariantGate());
        if (input.validateSize()) {
            gates.add(sizeGate.get());
        }
        if (cveGate != null) {
            gates.add(cveGate);
        }
        return gates;
    }

    /** The staged images a released version records in its release.json, by image type; none without one. */
    static Map<String, Candidate> stagedImages(ArtifactStore store, SemVer version) {
        String path = ImageVersions.versionDir(version) + "/" + ReleaseFiles.RELEASE_JSON;
        Map<String, Candidate> images = new LinkedHashMap<>();
        store.read(path).ifPresent(bytes -> {
            ReleaseRecord record = Json.read(bytes, ReleaseRecord.class, store.locationOf(path));
            if (record.images() != null) {
                record.images()
                        .forEach((type, image) -> images.put(
                                type,
                                new Candidate(
                                        type,
                                        image.stagingRepository(),
                                        image.candidateTag(),
                                        image.stagedDigest(),
                                        null)));
            }
        });
        return images;
    }
}
