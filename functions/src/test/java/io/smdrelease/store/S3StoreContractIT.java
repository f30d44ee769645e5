package io.smdrelease.store;

import io.smdrelease.testsupport.MiniStackExtension;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ArtifactStoreContract} on MiniStack's S3, each store in a fresh bucket under a key prefix. */
class S3StoreContractIT extends ArtifactStoreContract {
    @RegisterExtension
    static final MiniStackExtension EMULATOR = new MiniStackExtension();

    @Override
    ArtifactStore newStore() {
        String bucket = EMULATOR.newVersionedBucket("contract");
        return new S3Store(EMULATOR.s3(), bucket, "mirror", Clock.systemUTC());
    }
}
