package io.smdrelease.cli;

import io.smdrelease.release.CheckoutReleases;
import io.smdrelease.store.TreeTransfer;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Moving a distribution between a checkout and the pipeline's bucket. */
final class TransferCommands {
    private TransferCommands() {}

    @Command(
            name = "push-tree",
            description = "Seed a bucket from a distribution repository checkout: every file (with its mode) and"
                    + " empty directory is copied, .git/ left out, and each version directory is published with its"
                    + " manifest.json; every version the checkout holds as built (its env.out exists) gets a"
                    + " release.json, since in a bucket only those count as released.")
    static final class PushTree extends BaseCommand {
        @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The checkout. Default: .")
        Path root;

        @Option(names = "--to", required = true, paramLabel = "s3://BUCKET[/PREFIX]", description = "The bucket.")
        String to;

        @Override
        protected ExitCode execute() {
            var target = StoreOptions.openBucket(to);
            var checkout = StoreOptions.checkout(root);
            TreeTransfer.Summary summary = TreeTransfer.pushTree(checkout, target);
            List<String> released = CheckoutReleases.record(checkout, target, Clock.systemUTC());
            out().println("Pushed " + summary.files() + " files (" + summary.versions() + " versions) from " + root
                    + " to " + target.location() + "; " + released.size() + " built version(s) recorded as released"
                    + " (release.json)");
            return ExitCode.OK;
        }
    }

    @Command(
            name = "pull-version",
            description = "Bring a version from the bucket into a checkout (e.g. to open a"
                    + " pull request with the release's files); replaces that version's directory in the checkout.")
    static final class PullVersion extends BaseCommand {
        @Option(
                names = "--target-patch-version",
                required = true,
                paramLabel = "VERSION",
                description = "The version to bring back, e.g. 4.4.1.")
        String targetPatchVersion;

        @Option(names = "--from", required = true, paramLabel = "s3://BUCKET[/PREFIX]", description = "The bucket.")
        String from;

        @Option(names = "--root", paramLabel = "DIR", defaultValue = ".", description = "The checkout. Default: .")
        Path root;

        @Override
        protected ExitCode execute() {
            SemVer version = SemVer.parseImageVersion(targetPatchVersion);
            String dir = ImageVersions.versionDir(version);
            var source = StoreOptions.openBucket(from);
            if (!source.isComplete(dir)) {
                throw new io.smdrelease.error.BaseNotFoundException("version " + version + " is not complete in "
                        + source.location() + " (no " + dir + "/manifest.json): nothing to pull");
            }
            TreeTransfer.Summary summary = TreeTransfer.pullVersion(source, dir, StoreOptions.checkoutToWrite(root));
            out().println("Pulled " + summary.files() + " files of " + version + " from " + source.location() + " into "
                    + root.resolve(dir));
            return ExitCode.OK;
        }
    }
}
