package io.smdrelease.cli;

import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.VersionLock;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code break-lock}: deletes the lock a dead run left on a version in a bucket, so that the version can be created
 * again. The delete is conditional on the lock that was read, so a lock taken meanwhile by a live run survives.
 */
@Command(
        name = "break-lock",
        description = "Delete the lock of a version in a bucket (left by a run that died while creating it) and print"
                + " whose it was. Only for a run known to be dead: a live run whose lock is broken cannot complete the"
                + " version. An expired lock is taken over without this.")
final class BreakLockCommand extends BaseCommand {
    @Mixin
    StoreOptions storeOptions;

    @Option(
            names = "--target-patch-version",
            required = true,
            paramLabel = "VERSION",
            description = "The locked version, e.g. 4.4.1.")
    String targetPatchVersion;

    @Override
    protected ExitCode execute() {
        SemVer version = SemVer.parseImageVersion(targetPatchVersion);
        String dir = ImageVersions.versionDir(version);
        ArtifactStore store = storeOptions.open();
        if (!(store instanceof BucketStore bucket)) {
            out().println(store.location() + " is a checkout: versions are created there without a lock, so there is"
                    + " no lock to break (locks exist in a bucket: --store s3://BUCKET[/PREFIX])");
            return ExitCode.OK;
        }
        Optional<VersionLock> broken = bucket.breakLock(dir);
        if (broken.isEmpty()) {
            out().println("version " + version + " has no lock in " + bucket.location() + ": nothing to break");
            return ExitCode.OK;
        }
        VersionLock lock = broken.get();
        Instant now = Instant.now();
        out().println("Broke the lock of version " + version + " in " + bucket.location() + ": it was "
                + lock.owner() + "'s, taken at " + lock.createdAt() + " (" + rounded(lock.createdAt(), now)
                + " ago), " + (lock.expiredAt(now) ? "expired at " : "expiring at ") + lock.expiresAt() + ".");
        return ExitCode.OK;
    }

    private static Duration rounded(Instant from, Instant to) {
        return Duration.between(from, to).withNanos(0);
    }
}
