package io.smdrelease.release;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.changelog.ChangelogGenerator;
import io.smdrelease.error.GateFailedException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.gates.CandidateImage;
import io.smdrelease.gates.Gate;
import io.smdrelease.gates.GateReport;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.signing.PayloadSigner;
import io.smdrelease.signing.SignatureTrust;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.tags.VersionTags;
import io.smdrelease.version.SemVer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The release lifecycle, the one algorithm the Lambda handlers and the CLI both follow: a version is
 * <b>generated</b> ({@link #generate}), its images become <b>candidates</b> (built, tested and pushed by digest to
 * the staging repository, by the builds), the candidates are <b>gated</b> ({@link #evaluateGates}), and the exact
 * gated digests are <b>released</b> ({@link #promote}, then {@link #finish}, which writes {@code release.json} last).
 * Every step reads what the earlier ones recorded in the store, so each can run in another process, and a re-run of
 * a step converges.
 */
public final class ReleaseLifecycle {
    private final ArtifactStore store;
    private final ImageConfigs configs;
    private final Clock clock;

    public ReleaseLifecycle(ArtifactStore store, ImageConfigs configs, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.configs = Objects.requireNonNull(configs, "configs");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Generated: resolves the base, publishes the version (or finds it) and plans its candidate builds. */
    public ReleasePlan generate(ReleaseInput input, RunContext run) {
        return new Generation(store, configs).generate(input, run);
    }

    /**
     * Every check {@link #generate} makes before it writes (the input's rules, the base resolved among released
     * versions, the version not released, the artifacts it would generate), without writing anything.
     */
    public ReleaseCheck check(ReleaseInput input) {
        return new Generation(store, configs).check(input);
    }

    /** The candidates the builds recorded, one per image type of the plan. */
    public List<CandidateImage> candidates(ReleasePlan plan) {
        return CandidateImages.read(store, configs, plan);
    }

    /**
     * Gated: moves what this run's builds wrote under their {@code incoming/} prefix into the version (checked), runs
     * the gates on the candidates and writes {@code gates.json}.
     *
     * @throws GateFailedException when a gate failed (the report is written all the same)
     */
    public GateReport evaluateGates(ReleasePlan plan, List<Gate> gates) {
        IncomingResults.collect(store, configs, plan);
        return new GateEvaluation(store, clock).evaluate(plan, candidates(plan), gates);
    }

    /**
     * Signs the gated candidates: writes each one's SBOM, pushes it and a Notation signature of the candidate digest
     * as referrers into the staging repository, and records both in {@code signatures.json}.
     *
     * @throws GateFailedException when the gates did not pass these very digests (nothing is signed)
     */
    public CandidateSignatures sign(ReleasePlan plan, RegistryClient registry, PayloadSigner signer) {
        List<CandidateImage> images = candidates(plan);
        requirePassedGates(plan, images);
        return CandidateSignatures.sign(store, plan, images, registry, signer, clock);
    }

    /**
     * Copies the gated candidate digests to the release repositories: version tags and each image's referrers (SBOM,
     * signature) first, aliases last. With release repositories, every candidate's signature must verify first.
     *
     * @throws GateFailedException when the gates did not pass these very digests, or a signature does not verify
     */
    public PromotionResult promote(ReleasePlan plan, RegistryClient registry, SignatureTrust trust) {
        List<CandidateImage> images = candidates(plan);
        requirePassedGates(plan, images);
        CandidateSignatures signatures = plan.input().targetEcrRepos().isEmpty()
                ? null
                : CandidateSignatures.verify(store, plan, images, registry, trust, clock);
        SemVer version = SemVer.parseImageVersion(plan.targetVersion());
        List<PromotionStep> steps = Promotion.plan(
                version, images, plan.input().targetEcrRepos(), new VersionTags(store, configs), signatures);
        return new Promotion(registry).promote(steps);
    }

    /**
     * Records a request for approval with its evidence in {@code approval.json}, where the approve and reject
     * commands find the task token, and returns it for the notification.
     */
    public ApprovalRequest requestApproval(ReleasePlan plan, String taskToken) {
        List<CandidateImage> images = candidates(plan);
        GateReport gates = requirePassedGates(plan, images);
        SemVer version = SemVer.parseImageVersion(plan.targetVersion());
        List<String> documents = new ArrayList<>();
        if (plan.imageTypes().size() == configs.forMajor(version.major()).size()) {
            documents.addAll(new ChangelogGenerator(store, configs)
                    .generate(version)
                    .files()
                    .keySet());
        }
        ApprovalRequest request = new ApprovalRequest(
                plan.targetVersion(),
                plan.execution(),
                clock.instant().toString(),
                taskToken,
                gates.digests(),
                gates.results(),
                documents);
        store.write(plan.versionDir() + "/" + ReleaseFiles.APPROVAL_JSON, Json.write(request));
        return request;
    }

    /** Released: changelogs, release notes and, last, {@code release.json}. */
    public ReleaseRecord finish(ReleasePlan plan, PromotionResult promoted) {
        List<CandidateImage> images = candidates(plan);
        GateReport gates = requirePassedGates(plan, images);
        return new Finalization(store, configs, clock).finish(plan, images, gates, promoted);
    }

    /**
     * Points {@code alias} at an earlier release's image in the repositories that release used; recorded under
     * {@code alias-moves/}.
     */
    public AliasMoves.Record rollback(String alias, SemVer to, RegistryClient registry, String by) {
        return new AliasMoves(store, configs, clock).rollback(alias, to, registry, by);
    }

    /**
     * Marks a release bad without deleting it: never again a base or an alias target; the aliases it held move to the
     * newest good release. Recorded in {@code yanked.json} and under {@code alias-moves/}.
     */
    public AliasMoves.Record yank(SemVer version, String reason, RegistryClient registry, String by) {
        return new AliasMoves(store, configs, clock).yank(version, reason, registry, by);
    }

    /** The gates' verdict must exist, have passed, and be about the digests that are promoted. */
    private GateReport requirePassedGates(ReleasePlan plan, List<CandidateImage> images) {
        String path = plan.versionDir() + "/" + ReleaseFiles.GATES_JSON;
        GateReport report = Json.read(
                store.read(path)
                        .orElseThrow(() -> new MissingArtifactException(path + " is missing in " + store.location()
                                + ": the gates have not judged the candidates of " + plan.targetVersion())),
                GateReport.class,
                path);
        if (!report.passed()) {
            throw new GateFailedException(
                    "the candidates of " + plan.targetVersion() + " did not pass their gates" + " (" + path
                            + "); nothing is promoted",
                    report.failures().stream()
                            .map(r -> r.gate() + " [" + r.imageType() + "]")
                            .toList());
        }
        for (CandidateImage image : images) {
            String judged = report.digests().get(image.imageType());
            if (!Objects.equals(judged, image.candidate().digest())) {
                throw new GateFailedException(
                        "the " + image.imageType() + " candidate of " + plan.targetVersion()
                                + " is " + image.candidate().digest() + " but the gates judged " + judged + " (" + path
                                + "): evaluate the gates again before promoting",
                        List.of("gates [" + image.imageType() + "]"));
            }
        }
        return report;
    }
}
