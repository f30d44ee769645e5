package io.smdrelease.cli;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.release.AliasMoves;
import io.smdrelease.release.ReleaseLifecycle;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.SemVer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code release rollback} and {@code release yank}: move aliases after a release, through the core. */
final class ReleaseAliasCommands {
    private ReleaseAliasCommands() {}

    static ReleaseLifecycle lifecycle(ArtifactStore store) {
        return new ReleaseLifecycle(store, ImageConfigs.load(store), Clock.systemUTC());
    }

    static void print(PrintWriter out, AliasMoves.Record record) {
        for (AliasMoves.Move move : record.moves()) {
            out.println(
                    move.toDigest() == null
                            ? "left     " + move.repository() + ":" + move.alias() + " (no other good release holds it)"
                            : "moved    " + move.repository() + ":" + move.alias() + " " + orNone(move.fromDigest())
                                    + " -> " + move.toDigest() + " (" + move.toVersion() + ")");
        }
        out.flush();
    }

    private static String orNone(String digest) {
        return digest == null ? "(none)" : digest;
    }

    @Command(
            name = "rollback",
            description = "Point an alias (latest-cpu, 4.4-gpu, …) back at an earlier release's image in every"
                    + " repository that release used; recorded under alias-moves/.")
    static final class Rollback extends ReleaseCommandBase {
        @Option(names = "--alias", required = true, paramLabel = "TAG", description = "The alias, e.g. latest-cpu.")
        String alias;

        @Option(names = "--to", required = true, paramLabel = "VERSION", description = "The release, e.g. 4.4.1.")
        String to;

        @Mixin
        StoreOptions storeOptions;

        @Override
        protected ExitCode run() {
            SemVer version = SemVer.parseImageVersion(to);
            ArtifactStore store = storeOptions.open();
            AliasMoves.Record record =
                    lifecycle(store).rollback(alias, version, Registries.forCli(), LocalBuilds.owner());
            print(out(), record);
            out().println("Rolled " + alias + " back to " + version);
            return ExitCode.OK;
        }
    }

    @Command(
            name = "yank",
            description = "Mark a release bad without deleting it (yanked.json): never again a base or an alias"
                    + " target; the aliases it holds move to the newest good release.")
    static final class Yank extends ReleaseCommandBase {
        @Parameters(paramLabel = "VERSION", description = "The release to yank, e.g. 4.4.2.")
        String version;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why, recorded in yanked.json.")
        String reason;

        @Option(
                names = "--notify-topic",
                paramLabel = "ARN",
                description = "SNS topic told of the yank and the aliases it moved, e.g. the stack's ApprovalTopicArn"
                        + " output.")
        String notifyTopic;

        @Mixin
        StoreOptions storeOptions;

        @Override
        protected ExitCode run() {
            SemVer parsed = SemVer.parseImageVersion(version);
            if (reason.isBlank()) {
                throw new InvalidInputException("--reason is empty: say why " + parsed + " is yanked");
            }
            ArtifactStore store = storeOptions.open();
            AliasMoves.Record record = lifecycle(store).yank(parsed, reason, Registries.forCli(), LocalBuilds.owner());
            print(out(), record);
            out().println("Yanked " + parsed + ": " + reason);
            if (notifyTopic != null) {
                StringWriter text = new StringWriter();
                text.append("Release ")
                        .append(parsed.toString())
                        .append(" was yanked by ")
                        .append(record.by())
                        .append(": ")
                        .append(reason)
                        .append("\nIt is never again a base or an alias target.\n\n");
                print(new PrintWriter(text), record);
                aws().sns()
                        .publish(b -> b.topicArn(notifyTopic)
                                .subject("smd-release: " + parsed + " yanked")
                                .message(text.toString()));
                out().println("Notified " + notifyTopic);
            }
            return ExitCode.OK;
        }
    }
}
