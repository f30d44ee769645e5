package io.smdrelease.release;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.changelog.ChangelogGenerator;
import io.smdrelease.changelog.ReleaseDocuments;
import io.smdrelease.gates.CandidateImage;
import io.smdrelease.gates.GateReport;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.nightly.NightlyScheduleStore;
import io.smdrelease.sbom.SbomGenerator;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.Sha256;
import io.smdrelease.version.SemVer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last step: the changelogs and release notes, a CycloneDX SBOM per image (the released digest its subject), the
 * nightly schedule when asked, and {@code release.json} written last, which makes the version released. Idempotent: a re-run writes the same files again.
 */
final class Finalization {
    private final ArtifactStore store;
    private final ImageConfigs configs;
    private final Clock clock;

    Finalization(ArtifactStore store, ImageConfigs configs, Clock clock) {
        this.store = store;
        this.configs = configs;
        this.clock = clock;
    }

    ReleaseRecord finish(ReleasePlan plan, List<CandidateImage> images, GateReport gates, PromotionResult promoted) {
        SemVer version = SemVer.parseImageVersion(plan.targetVersion());
        List<String> documents = new ArrayList<>();
        if (plan.imageTypes().size() == configs.forMajor(version.major()).size()) {
            ReleaseDocuments written = new ChangelogGenerator(store, configs).generate(version);
            documents.addAll(written.files().keySet());
        }
        // the SBOM of each released image, its digest the subject: pushed and signed with it when it went to
        // repositories, else written now beside its env.out
        Map<String, SignedCandidate> signed = promoted.referrers().isEmpty()
                ? Map.of()
                : store.read(CandidateSignatures.path(plan))
                        .map(b -> Json.read(b, CandidateSignatures.class, CandidateSignatures.path(plan)))
                        .orElseThrow()
                        .images();
        Map<String, ReleaseRecord.Image> released = new LinkedHashMap<>();
        for (CandidateImage image : images) {
            SignedCandidate evidence = signed.get(image.imageType());
            ReleaseRecord.Sbom sbom = evidence != null
                    ? new ReleaseRecord.Sbom(evidence.sbomPath(), evidence.sbom())
                    : new ReleaseRecord.Sbom(sbom(plan, version, image), null);
            documents.add(sbom.path());
            ReleaseRecord.Signature signature = evidence == null
                    ? null
                    : new ReleaseRecord.Signature(
                            evidence.signature(),
                            evidence.certificateSha256(),
                            evidence.signedAt(),
                            evidence.provenance());
            Map<String, List<String>> repositories = new LinkedHashMap<>();
            for (PromotionStep step : promoted.versionTags()) {
                if (step.imageType().equals(image.imageType())) {
                    repositories
                            .computeIfAbsent(step.repository(), r -> new ArrayList<>())
                            .add(step.tag());
                }
            }
            for (PromotionStep step : promoted.aliases()) {
                if (step.imageType().equals(image.imageType())) {
                    repositories.get(step.repository()).add(step.tag());
                }
            }
            released.put(
                    image.imageType(),
                    new ReleaseRecord.Image(
                            image.candidate().digest(),
                            image.candidate().repository(),
                            image.candidate().tag(),
                            Sha256.hex(image.envOut()),
                            repositories,
                            signature,
                            sbom));
        }
        if (plan.input().updateNightlySchedule() && !version.isPrerelease()) {
            // the original's add-nightly-builds workflow, run when a release is published
            new NightlyScheduleStore(store).update(schedule -> schedule.addNextVersions(version.toString()));
        }
        ReleaseRecord record = new ReleaseRecord(
                version.toString(),
                plan.sourceVersion(),
                plan.execution(),
                clock.instant().toString(),
                plan.input(),
                released,
                gates.results(),
                documents);
        store.write(plan.versionDir() + "/" + ReleaseFiles.RELEASE_JSON, Json.write(record));
        return record;
    }

    /** The SBOM of an image released to no repository, written now from the env.out its candidate was read with. */
    private String sbom(ReleasePlan plan, SemVer version, CandidateImage image) {
        SbomGenerator.write(
                store,
                plan.versionDir(),
                image.envOut(),
                image.config(),
                version,
                image.candidate().digest(),
                clock.instant());
        return SbomGenerator.path(plan.versionDir(), image.imageType());
    }
}
