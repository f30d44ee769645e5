package io.smdrelease.cli;

import io.smdrelease.nightly.NightlySchedule;
import io.smdrelease.nightly.NightlyScheduleStore;
import io.smdrelease.store.ArtifactStore;
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

        /** Why applying the change to this version changed nothing. */
        abstract String unchanged(String version);

        @Override
        protected ExitCode execute() {
            NightlySchedule.requireExact(version);
            ArtifactStore store = storeOptions.open();
            boolean[] changed = new boolean[1];
            NightlySchedule updated = new NightlyScheduleStore(store).update(s -> {
                NightlySchedule after = apply(s, version);
                changed[0] = !after.equals(s);
                return after;
            });
            if (!changed[0]) {
                err().println(unchanged(version) + ": " + store.locationOf(NightlySchedule.FILE) + " left as it was");
            }
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

        @Override
        String unchanged(String version) {
            return "the next versions of " + version + " are already scheduled";
        }
    }

    @Command(name = "remove-version", description = "Stop building VERSION nightly and drop the bases it replaced.")
    static final class RemoveVersion extends Update {
        @Override
        NightlySchedule apply(NightlySchedule schedule, String version) {
            return schedule.removeVersion(version);
        }

        @Override
        String unchanged(String version) {
            return version + " is not in active_nightly_builds, nothing to remove";
        }
    }
}
