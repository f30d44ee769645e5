package io.smdrelease.release;

import io.smdrelease.artifacts.ArtifactGenerator;
import io.smdrelease.artifacts.CreateRequest;
import io.smdrelease.artifacts.GeneratedVersion;
import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.artifacts.VersionCatalog;
import io.smdrelease.buildplan.BuildPlan;
import io.smdrelease.buildplan.BuildPlanner;
import io.smdrelease.buildplan.CodeBuildVariable;
import io.smdrelease.buildplan.ImageBuildPlan;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.VersionExistsException;
import io.smdrelease.layout.ReleaseFiles;
import io.smdrelease.layout.VersionDirectories;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.PublicationOwner;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The first step of a release: resolve the base among released versions, generate and publish the target version
 * (or find the existing one), choose the image types and plan their candidate builds. Nothing is written before the
 * whole input has been checked; a retry of the same run accepts the version it published itself.
 */
final class Generation {
    private final ArtifactStore store;
    private final ImageConfigs imageConfigs;

    Generation(ArtifactStore store, ImageConfigs imageConfigs) {
        this.store = store;
        this.imageConfigs = imageConfigs;
    }

    ReleasePlan generate(ReleaseInput input, RunContext run) {
        Decision decision = decide(input, run.execution());
        SemVer target = decision.target();
        boolean created = decision.publishedByThisRun();
        if (decision.generated() != null) {
            store.publish(decision.generated()
                    .publication()
                    .ownedBy(new PublicationOwner(run.execution(), run.lockMaxAge())));
            created = true;
        }
        List<PlannedBuild> builds =
                input.mode() == ReleaseMode.PROMOTE ? List.of() : planBuilds(input, run, target, decision.imageTypes());
        return new ReleasePlan(
                run.execution(),
                run.runId(),
                input.mode(),
                target.toString(),
                decision.sourceVersion(),
                created,
                ImageVersions.versionDir(target),
                run.stagingRepository(),
                decision.imageTypes(),
                input,
                builds);
    }

    /** Every check {@link #generate} makes before it writes, without writing: for a start that must not fail late. */
    ReleaseCheck check(ReleaseInput input) {
        Decision decision = decide(input, null);
        return new ReleaseCheck(
                decision.target().toString(),
                decision.sourceVersion(),
                decision.imageTypes(),
                store.isComplete(ImageVersions.versionDir(decision.target())));
    }

    /** What Generate decided before writing anything; {@code generated} is null when the version exists. */
    private record Decision(
            SemVer target,
            String sourceVersion,
            GeneratedVersion generated,
            boolean publishedByThisRun,
            List<String> imageTypes) {}

    /** @param execution the run, whose own earlier publication is accepted; {@code null} for none */
    private Decision decide(ReleaseInput input, String execution) {
        SemVer target;
        String sourceVersion;
        GeneratedVersion generated = null;
        boolean publishedByThisRun = false;
        if (input.buildsExistingVersion()) {
            target = parse("targetPatchVersion", input.targetPatchVersion());
            requireGenerated(target);
            sourceVersion = sourceVersionOf(target);
            if (input.mode() != ReleaseMode.PROMOTE) {
                refuseReleased(target, "build its candidates again");
            }
        } else {
            String base = new VersionCatalog(store).resolveBase(input.basePatchVersion());
            SemVer baseVersion = parse("basePatchVersion", base);
            target = ImageVersions.next(baseVersion, input.releaseType(), input.preReleaseIdentifier());
            sourceVersion = base;
            if (execution != null && publishedBy(target, execution)) {
                publishedByThisRun = true; // a retry of this very run, after it published: go on with its version
            } else {
                refuseReleased(target, "generate it again");
                generated = new ArtifactGenerator(store, imageConfigs)
                        .plan(new CreateRequest(
                                input.releaseType(), base, input.preReleaseIdentifier(), input.replaceExisting()));
            }
        }
        return new Decision(target, sourceVersion, generated, publishedByThisRun, selectImageTypes(input, target));
    }

    private List<PlannedBuild> planBuilds(ReleaseInput input, RunContext run, SemVer target, List<String> types) {
        BuildPlan plan = new BuildPlanner(store, imageConfigs).plan(target, input.resolveAfresh());
        Map<String, String> fetch = run.fetchVariables().apply(plan.versionDir());
        List<PlannedBuild> builds = new ArrayList<>();
        for (String type : types) {
            ImageBuildPlan image = plan.image(type);
            String candidateTag = run.candidateTag(target.toString(), type);
            List<CodeBuildVariable> environment = new ArrayList<>();
            fetch.forEach((name, value) -> environment.add(CodeBuildVariable.plaintext(name, value)));
            environment.addAll(image.codeBuildEnvironment(
                    run.stagingRepository(),
                    candidateTag,
                    ReleaseFiles.incoming(run.runId(), type),
                    input.skipTests()));
            builds.add(new PlannedBuild(type, run.buildProjects().apply(type), candidateTag, environment));
        }
        return builds;
    }

    private SemVer parse(String field, String version) {
        try {
            return SemVer.parseImageVersion(version);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(field + " '" + version + "' is not a version: use e.g. 4.4.0"
                    + ("basePatchVersion".equals(field) ? ", latest or latest-4.4" : "") + " (" + e.getMessage() + ")");
        }
    }

    private void requireGenerated(SemVer version) {
        VersionDirectories.requireComplete(store, version, VersionDirectories.CREATE_IT);
    }

    private boolean publishedBy(SemVer version, String execution) {
        String dir = ImageVersions.versionDir(version);
        return store.publisher(dir).map(execution::equals).orElse(false);
    }

    /** A released version's tags never move to another digest, so nothing may build or generate it again. */
    private void refuseReleased(SemVer version, String what) {
        String dir = ImageVersions.versionDir(version);
        if (store.exists(dir + "/" + ReleaseFiles.RELEASE_JSON)) {
            throw new VersionExistsException("version " + version + " is released (" + dir + "/"
                    + ReleaseFiles.RELEASE_JSON + " in " + store.location() + "): a released version is never"
                    + " replaced, so this run cannot " + what + "; release the next version instead");
        }
    }

    private String sourceVersionOf(SemVer version) {
        return VersionDirectories.sourceVersion(store, ImageVersions.versionDir(version))
                .orElse(null);
    }

    private List<String> selectImageTypes(ReleaseInput input, SemVer target) {
        List<String> known = imageConfigs.forMajor(target.major()).stream()
                .map(ImageConfig::imageType)
                .toList();
        if (input.imageTypes() == null) {
            return known;
        }
        for (String type : input.imageTypes()) {
            if (!known.contains(type)) {
                throw new InvalidInputException(
                        "imageTypes entry '" + type + "' is not an image type of " + target + ": use some of " + known);
            }
        }
        return known.stream().filter(input.imageTypes()::contains).toList();
    }
}
