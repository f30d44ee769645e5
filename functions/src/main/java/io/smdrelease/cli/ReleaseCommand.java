package io.smdrelease.cli;

import picocli.CommandLine.Command;

/** {@code release}: operates the release pipeline and the lifecycle of versions (docs/contract.md). */
@Command(
        name = "release",
        mixinStandardHelpOptions = true,
        description = "Operate the release pipeline: start an execution, watch it, approve or reject it, promote gated"
                + " candidates, see where each version stands, roll an alias back, yank a release.",
        subcommands = {
            ReleaseStartCommand.class,
            ReleaseWatchCommand.class,
            ReleaseStatusCommands.ListVersions.class,
            ReleaseStatusCommands.Status.class,
            ReleaseApprovalCommands.Approve.class,
            ReleaseApprovalCommands.Reject.class,
            ReleasePromoteCommand.class,
            ReleaseAliasCommands.Rollback.class,
            ReleaseAliasCommands.Yank.class
        })
final class ReleaseCommand {}
