package io.smdrelease.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link ArtifactStoreContract} on a directory. */
class LocalDirStoreContractTest extends ArtifactStoreContract {
    @TempDir
    Path tmp;

    @Override
    protected ArtifactStore newStore() {
        try {
            return new LocalDirStore(Files.createTempDirectory(tmp, "store"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
