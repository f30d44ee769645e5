package io.smdrelease.cli;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.aws.ecr.EcrRepository;
import io.smdrelease.changelog.ChangelogGenerator;
import io.smdrelease.error.GateFailedException;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.gates.GateReport;
import io.smdrelease.gates.GateResult;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.release.PromotionResult;
import io.smdrelease.release.ReleaseGates;
import io.smdrelease.release.ReleaseInput;
import io.smdrelease.release.ReleaseLifecycle;
import io.smdrelease.release.ReleasePlan;
import io.smdrelease.release.ReleaseRecord;
import io.smdrelease.release.RunContext;
import io.smdrelease.signing.PayloadSigner;
import io.smdrelease.signing.SignatureTrust;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.PublicationOwner;
import io.smdrelease.version.SemVer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code build}: the original tool's local build, in the pipeline's phases: each image type's candidate is built,
 * tested and pushed to the staging repository by the very scripts CodeBuild runs; then the gates; then the candidates
 * are promoted to the release repositories (version tags first, aliases last); then the changelogs, RELEASE.md and
 * release.json.
 */
@Command(
        name = "build",
        description = "Build, test and push the candidate images of a version with the CodeBuild scripts (docker, or"
                + " buildah/podman without a Docker engine), check the gates, promote the tested digests to every"
                + " --target-ecr-repo, then write CHANGELOG-<type>.md, RELEASE.md and release.json. The image tests"
                + " are the distribution's own: the cases of test/test_dockerfile_based_harness.py over"
                + " test/test_artifacts/v<major>/.")
final class BuildCommand extends BaseCommand {
    @Mixin
    StoreOptions storeOptions;

    @Option(
            names = "--target-patch-version",
            required = true,
            paramLabel = "VERSION",
            description = "The version to build, e.g. 4.4.1 (create its artifacts first).")
    String targetPatchVersion;

    @Option(
            names = "--skip-tests",
            description = "Do not run the image tests (recorded as a waiver of the tests gate).")
    boolean skipTests;

    @Option(names = "--force", description = "Solve afresh from env.in even when <type>.env.out exists.")
    boolean force;

    @Option(
            names = "--target-ecr-repo",
            paramLabel = "REPO",
            description = "Release repository to promote the tested images to (repeatable), e.g."
                    + " 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution.")
    List<String> targetEcrRepos = new ArrayList<>();

    @Option(
            names = "--staging-repo",
            paramLabel = "REPO",
            description = "Where the candidates are pushed by digest before the gates (default: the first"
                    + " --target-ecr-repo, under a candidate-* tag; the release tags move only after the gates).")
    String stagingRepo;

    @Option(
            names = "--allow-regression",
            paramLabel = "PACKAGE",
            description = "A package this patch release may remove or downgrade against its base (repeatable; the"
                    + " regression gate fails a patch that does either otherwise).")
    List<String> allowRegressions = new ArrayList<>();

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region for ECR logins and S3.")
    String region;

    @Option(names = "--image-type", paramLabel = "TYPE", description = "Build only these image types (repeatable).")
    List<String> imageTypes = new ArrayList<>();

    @Option(
            names = "--scripts",
            paramLabel = "DIR",
            description = "The build scripts (default: buildspecs/scripts of this installation).")
    Path scripts;

    @Mixin
    SigningOptions signing = new SigningOptions();

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Where the scripts work (default: a new temporary directory).")
    Path workDir;

    @Override
    protected ExitCode execute() throws IOException, InterruptedException {
        SemVer.parseImageVersion(targetPatchVersion);
        validateRepositoriesAndRegion();
        String promotes = "--target-ecr-repo promotes";
        PayloadSigner signer = targetEcrRepos.isEmpty() ? null : signing.signer(promotes);
        SignatureTrust trust = targetEcrRepos.isEmpty() ? null : signing.trust(promotes);
        ArtifactStore store = storeOptions.open();
        ImageConfigs configs = ImageConfigs.load(store);
        ReleaseLifecycle lifecycle = new ReleaseLifecycle(store, configs, Clock.systemUTC());
        LocalBuilds builds = new LocalBuilds(store, storeOptions.store, scripts, workDir, region, out());
        String staging = stagingRepo != null ? stagingRepo : targetEcrRepos.isEmpty() ? null : targetEcrRepos.get(0);
        RunContext run = new RunContext(
                LocalBuilds.owner(),
                "local-" + System.currentTimeMillis(),
                staging,
                builds::fetchVariables,
                type -> null,
                PublicationOwner.CLI_LOCK_MAX_AGE,
                Clock.systemUTC());
        ReleasePlan plan = lifecycle.generate(input(), run);
        SemVer version = SemVer.parseImageVersion(plan.targetVersion());
        boolean everyType =
                plan.imageTypes().size() == configs.forMajor(version.major()).size();
        if (everyType) {
            // what the changelogs need at the end, checked before the build rather than after it
            new ChangelogGenerator(store, configs).requireBase(version);
        }
        try {
            builds.run(plan);
        } catch (LocalBuilds.BuildFailedException e) {
            err().println("build failed: " + e.getMessage());
            return ExitCode.BUILD_FAILED;
        }
        GateReport gates;
        try {
            gates = lifecycle.evaluateGates(
                    plan,
                    ReleaseGates.of(
                            plan.input(),
                            store,
                            configs,
                            Clock.systemUTC(),
                            BuildCommand::noSizeGate,
                            BuildCommand::noCveGate));
        } catch (GateFailedException e) {
            err().println("gates failed: " + e.getMessage());
            return ExitCode.BUILD_FAILED;
        }
        gates.results().forEach(r -> out().println("gate " + r.status() + "  " + r.describe()));
        int allTypes = configs.forMajor(
                        SemVer.parseImageVersion(plan.targetVersion()).major())
                .size();
        if (plan.imageTypes().size() != allTypes) {
            out().println("Built only " + plan.imageTypes() + ": candidates gated, not released (a release needs"
                    + " every image type).");
            return ExitCode.OK;
        }
        RegistryClient registry = Registries.forCli();
        if (signer != null) {
            lifecycle
                    .sign(plan, registry, signer)
                    .images()
                    .values()
                    .forEach(s -> out().println("signed   "
                            + s.stagingRepository() + "@" + s.image().digest() + " (signature " + s.signature()
                            + ", SBOM "
                            + s.sbom() + ")"));
        }
        PromotionResult promoted = lifecycle.promote(plan, registry, trust);
        promoted.versionTags().forEach(s -> out().println("promoted " + s.repository() + ":" + s.tag()));
        promoted.aliases().forEach(s -> out().println("moved    " + s.repository() + ":" + s.tag()));
        ReleaseRecord record = lifecycle.finish(plan, promoted);
        out().println("Released " + record.version() + ": " + store.locationOf(plan.versionDir()) + "/release.json; "
                + record.documents().size() + " documents written");
        List<GateResult> waivers = gates.waivers();
        waivers.forEach(w -> out().println("waived   " + w.describe()));
        return ExitCode.OK;
    }

    /** build has no --validate-size: generate-size-report --validate is the size gate of a local release. */
    private static io.smdrelease.gates.Gate noSizeGate() {
        throw new InvalidInputException("build runs no size gate: use generate-size-report --validate");
    }

    /** build has no CVE gate: the pipeline's cveGate reads the scans of ECR's enhanced scanning. */
    private static io.smdrelease.gates.CandidateScans noCveGate() {
        throw new InvalidInputException("build runs no CVE gate: run the release in the pipeline with cveGate: true");
    }

    private void validateRepositoriesAndRegion() {
        Set<String> seen = new HashSet<>();
        for (String repo : targetEcrRepos) {
            if (!EcrRepository.isRepositoryUri(repo)) {
                throw new InvalidInputException("--target-ecr-repo '" + repo + "' is not a repository: use"
                        + " REGISTRY/NAME without a tag, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/"
                        + "sagemaker-distribution or localhost:5000/sagemaker-distribution");
            }
            if (!seen.add(repo)) {
                throw new InvalidInputException(
                        "--target-ecr-repo names " + repo + " twice: give each repository once");
            }
        }
        if (stagingRepo != null && !EcrRepository.isRepositoryUri(stagingRepo)) {
            throw new InvalidInputException("--staging-repo '" + stagingRepo + "' is not a repository: use"
                    + " REGISTRY/NAME without a tag, e.g. localhost:5000/staging");
        }
        for (String name : allowRegressions) {
            if (!ReleaseInput.isPackageName(name)) {
                throw new InvalidInputException("--allow-regression '" + name + "' is not a conda package name: name"
                        + " a package this patch may remove or downgrade, e.g. --allow-regression pcre2");
            }
        }
        if (region != null && !EcrRepository.isRegion(region)) {
            throw new InvalidInputException("--region '" + region + "' is not an AWS region: use e.g. us-east-1");
        }
    }

    private ReleaseInput input() {
        return new ReleaseInput(
                null,
                null,
                targetPatchVersion,
                null,
                force,
                skipTests,
                targetEcrRepos,
                region,
                imageTypes.isEmpty() ? null : imageTypes,
                false,
                false,
                false,
                false,
                false,
                false,
                allowRegressions);
    }
}
