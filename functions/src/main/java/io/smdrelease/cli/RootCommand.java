package io.smdrelease.cli;

import picocli.CommandLine.Command;

/** Wires the subcommands; it does nothing itself. The exit codes in the help are {@link ExitCode}'s. */
@Command(
        name = "smd-release",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Creates, builds and documents releases of a conda-based image distribution"
                + " (SageMaker Distribution style).")
public final class RootCommand {
    /**
     * The subcommands, in help order. {@link Main} registers only the one being run (all of them for help), because
     * picocli reflects over every registered command at start-up.
     */
    static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(
            CreateVersionArtifactsCommand.Patch.class,
            CreateVersionArtifactsCommand.Minor.class,
            CreateVersionArtifactsCommand.Major.class,
            GenerateChangelogCommand.class,
            GenerateVersionReleaseNoteCommand.class,
            TagsCommand.class,
            PlanBuildCommand.class,
            PlanReleaseCommand.class,
            ReportCommands.Staleness.class,
            ReportCommands.Size.class,
            ReportCommands.Dependency.class,
            BuiltImageCommands.CheckImageVariant.class,
            BuiltImageCommands.GenerateSbom.class,
            TransferCommands.PushTree.class,
            TransferCommands.PullVersion.class,
            BreakLockCommand.class,
            NightlyCommand.class,
            BuildCommand.class,
            ReleaseCommand.class,
            SigningSetupCommand.class);
}
