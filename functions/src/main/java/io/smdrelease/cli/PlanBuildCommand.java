package io.smdrelease.cli;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.buildplan.BuildPlan;
import io.smdrelease.buildplan.BuildPlanner;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.SemVer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plan-build}: how {@code build} would build each image of a version, as JSON. */
@Command(
        name = "plan-build",
        description = "Print, as JSON, how each image of a version would be built: the env file it is solved from,"
                + " its build args, its Dockerfile and its tags. Builds nothing.")
final class PlanBuildCommand extends BaseCommand {

    @Mixin
    StoreOptions storeOptions;

    @Option(
            names = "--target-patch-version",
            required = true,
            paramLabel = "VERSION",
            description = "The version to build, e.g. 4.4.1.")
    String targetPatchVersion;

    @Option(names = "--force", description = "Solve afresh from <type>.env.in even where <type>.env.out exists.")
    boolean force;

    @Override
    protected ExitCode execute() throws Exception {
        SemVer target = SemVer.parseImageVersion(targetPatchVersion);
        ArtifactStore store = storeOptions.open();
        BuildPlan plan = new BuildPlanner(store, ImageConfigs.load(store)).plan(target, force);
        out().println(JsonOutput.pretty(plan));
        return ExitCode.OK;
    }
}
