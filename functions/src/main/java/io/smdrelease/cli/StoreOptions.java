package io.smdrelease.cli;

import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.LocalDirStore;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the distribution's files are: a checkout of the distribution repository, or a bucket that mirrors one. */
final class StoreOptions {
    @Option(
            names = "--root",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "The distribution repository checkout (with build_artifacts/, template/, assets/)."
                    + " Default: the current directory.")
    Path root;

    @Option(
            names = "--store",
            paramLabel = "s3://BUCKET[/PREFIX]",
            description = "Work on a bucket that mirrors the repository instead of --root (credentials and region"
                    + " from the AWS environment; AWS_ENDPOINT_URL is honoured).")
    String store;

    ArtifactStore open() {
        return store == null ? checkout(root) : openBucket(store);
    }

    /**
     * The checkout at {@code --root}, which must be an existing directory (a typo would otherwise read as an empty
     * distribution).
     */
    static LocalDirStore checkout(Path root) {
        if (!Files.isDirectory(root) && !Files.isRegularFile(root)) {
            throw new InvalidInputException("--root " + root + " does not exist: pass the distribution repository"
                    + " checkout (the directory holding build_artifacts/)");
        }
        return checkoutToWrite(root);
    }

    /** A checkout to write into, created when it does not exist yet ({@code pull-version}); never a file. */
    static LocalDirStore checkoutToWrite(Path root) {
        if (Files.isRegularFile(root)) {
            throw new InvalidInputException("--root " + root + " is a file, not a directory: pass the distribution"
                    + " repository checkout (the directory holding build_artifacts/)");
        }
        return new LocalDirStore(root);
    }

    static BucketStore openBucket(String uri) {
        if (!uri.startsWith("s3://")) {
            throw new InvalidInputException("'" + uri + "' is not a bucket URI: use s3://BUCKET[/PREFIX]");
        }
        return S3Stores.open(uri);
    }
}
