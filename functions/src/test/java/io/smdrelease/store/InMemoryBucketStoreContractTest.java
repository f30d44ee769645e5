package io.smdrelease.store;

import java.time.Clock;

/** {@link ArtifactStoreContract} on the bucket store over {@link InMemoryBucket}: the store's logic, no emulator. */
class InMemoryBucketStoreContractTest extends ArtifactStoreContract {
    @Override
    protected ArtifactStore newStore() {
        return new BucketStore(new InMemoryBucket(), "mirror", Clock.systemUTC());
    }
}
