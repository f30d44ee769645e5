package io.smdrelease.testsupport;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * One MiniStack per test class: {@code @RegisterExtension static final MiniStackExtension EMULATOR = new
 * MiniStackExtension();} starts it before the class (installing it when needed) and stops it after.
 */
public final class MiniStackExtension implements BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private MiniStack ministack;
    private S3Client s3;

    @Override
    public void beforeAll(ExtensionContext context) {
        ministack = MiniStack.start();
        s3 = ministack.s3();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (s3 != null) {
            s3.close();
        }
        if (ministack != null) {
            ministack.close();
        }
    }

    public MiniStack ministack() {
        return ministack;
    }

    /** A client of the emulator's S3, shared by the class's tests. */
    public S3Client s3() {
        return s3;
    }

    /** A fresh bucket with versioning on, named {@code prefix-N}. */
    public String newVersionedBucket(String prefix) {
        String bucket = prefix + "-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketVersioning(
                b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        return bucket;
    }
}
