package io.smdrelease.cli;

import io.smdrelease.nightly.NightlySchedule;
import io.smdrelease.nightly.NightlyScheduleStore;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nightly show|add-next-versions|remove-version}: the nightly schedule in the store. */
@Command(
        name = "nightly",
        mixinStandardHelpOptions = true,
        description = "Show or update the nightly schedule (nightly-schedule.json at the store's root).",
        subcommands = {
            NightlyCommand.Show.class,
            NightlyCommand.AddNextVersions.class,
            NightlyCommand.RemoveVersion.class
        })
final class NightlyCommand {

    @Command(name = "show", description = "Print the nightly schedule.")
    static final class Show extends BaseCommand {
        @Mixin
        StoreOptions storeOptions;

        @Override
        protected ExitCode execute() {
            out().println(new String(
                    new NightlyScheduleStore(storeOptions.open()).read().toJson(), StandardCharsets.UTF_8));
            return ExitCode.OK;
        }
    }

    /** A change to the schedule, written back with a conditional write; prints the new schedule. */
    abstract static class Update extends BaseCommand {
        @Mixin
        StoreOptions storeOptions;

        @Option(names = "--version", required = true, paramLabel = "x.y.z", description = "The version.")
        String version;

        abstract NightlySchedule apply(NightlySchedule schedule, String version);

        @Override
        protected ExitCode execute() {
            NightlySchedule.requireExact(version);
            NightlySchedule updated = new NightlyScheduleStore(storeOptions.open()).update(s -> apply(s, version));
            out().println(new String(updated.toJson(), StandardCharsets.UTF_8));
            return ExitCode.OK;
        }
    }

    @Command(
            name = "add-next-versions",
            description = "After VERSION is released: build its next patch (and minor)"
                    + " nightly, and base the nightlies on it.")
    static final class AddNextVersions extends Update {
        @Override
        NightlySchedule apply(NightlySchedule schedule, String version) {
            return schedule.addNextVersions(version);
        }
    }

    @Command(name = "remove-version", description = "Stop building VERSION nightly and drop the bases it replaced.")
    static final class RemoveVersion extends Update {
        @Override
        NightlySchedule apply(NightlySchedule schedule, String version) {
            return schedule.removeVersion(version);
        }
    }
}
