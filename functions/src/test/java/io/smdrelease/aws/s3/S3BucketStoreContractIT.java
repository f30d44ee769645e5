package io.smdrelease.aws.s3;

import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.ArtifactStoreContract;
import io.smdrelease.testsupport.MiniStackExtension;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ArtifactStoreContract} on the bucket store over MiniStack's S3, each store in a fresh bucket under a key prefix. */
class S3BucketStoreContractIT extends ArtifactStoreContract {
    @RegisterExtension
    static final MiniStackExtension EMULATOR = new MiniStackExtension();

    @Override
    protected ArtifactStore newStore() {
        String bucket = EMULATOR.newVersionedBucket("contract");
        return S3Stores.open(EMULATOR.s3(), bucket, "mirror", Clock.systemUTC());
    }
}
