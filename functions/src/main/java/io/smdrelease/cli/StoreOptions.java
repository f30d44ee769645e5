package io.smdrelease.cli;

import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.LocalDirStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the distribution's files are: a checkout of the distribution repository. */
final class StoreOptions {
    @Option(names = "--root", paramLabel = "DIR", defaultValue = ".",
            description = "The distribution repository checkout (with build_artifacts/, template/, assets/)."
                    + " Default: the current directory.")
    Path root;

    ArtifactStore open() {
        return new LocalDirStore(root);
    }
}
