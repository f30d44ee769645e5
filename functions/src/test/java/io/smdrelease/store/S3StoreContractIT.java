package io.smdrelease.store;

import io.smdrelease.testsupport.MiniStack;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/** {@link ArtifactStoreContract} on MiniStack's S3, each store in a fresh bucket under a key prefix. */
class S3StoreContractIT extends ArtifactStoreContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static MiniStack ms;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        ms = MiniStack.start();
        s3 = ms.s3();
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (ms != null) {
            ms.close();
        }
    }

    @Override
    ArtifactStore newStore() {
        String bucket = "contract-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
        return new S3Store(s3, bucket, "mirror", Clock.systemUTC());
    }
}
