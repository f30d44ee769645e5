package io.smdrelease.aws.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.store.BucketStore;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.store.TreeTransfer;
import io.smdrelease.testsupport.FlakyProxy;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.MiniStackExtension;
import io.smdrelease.testsupport.Trees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The production client ({@link S3Clients}) through a {@link FlakyProxy} in front of MiniStack: refused, reset and
 * timed-out connections are retried with backoff until the request goes through.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class S3RetriesIT {
    @RegisterExtension
    static final MiniStackExtension EMULATOR = new MiniStackExtension();

    @TempDir
    Path tmp;

    /** Counts the attempts (transmissions) of PutObject requests. */
    static final class PutAttempts implements ExecutionInterceptor {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest) {
                count.incrementAndGet();
            }
        }
    }

    private static BucketStore direct(String bucket) {
        return S3Stores.open(EMULATOR.s3(), bucket, "", Clock.systemUTC());
    }

    @Test
    void resetConnectionsAreRetriedUntilTheRequestGoesThrough() {
        String bucket = EMULATOR.newVersionedBucket("retries");
        byte[] content = "written through resets".getBytes(StandardCharsets.UTF_8);
        PutAttempts attempts = new PutAttempts();
        try (FlakyProxy proxy = new FlakyProxy(EMULATOR.ministack().port(), 5, Duration.ZERO);
                S3Client s3 = MiniStack.s3Builder(proxy.endpoint(), attempts).build()) {
            S3Stores.open(s3, bucket, "", Clock.systemUTC()).write("a/file", content);
            assertEquals(5, proxy.dropped());
            // HttpURLConnection may itself resend a PUT once on a reset connection, so some resets cost no SDK attempt
            assertTrue(
                    attempts.count.get() >= 2 && attempts.count.get() <= 6,
                    "the SDK retried until the request went through: " + attempts.count.get() + " attempts");
        }
        assertArrayEquals(content, direct(bucket).read("a/file").orElseThrow());
    }

    @Test
    void connectTimeoutsAreRetriedUntilTheEndpointAccepts() {
        String bucket = EMULATOR.newVersionedBucket("retries");
        byte[] content = "written after connect timeouts".getBytes(StandardCharsets.UTF_8);
        PutAttempts attempts = new PutAttempts();
        // the production client with a short connect timeout, so that a 1.5 s stall spans several attempts
        try (FlakyProxy proxy = new FlakyProxy(EMULATOR.ministack().port(), 0, Duration.ofMillis(1500));
                S3Client s3 = MiniStack.s3Builder(proxy.endpoint(), attempts)
                        .httpClient(new IoExceptionsRetried(S3Clients.httpClient()
                                .connectionTimeout(Duration.ofMillis(200))
                                .build()))
                        .build()) {
            long start = System.nanoTime();
            S3Stores.open(s3, bucket, "", Clock.systemUTC()).write("a/file", content);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(attempts.count.get() >= 2, "timed-out attempts were retried: " + attempts.count.get());
            assertTrue(millis >= 1_000, "the request waited out the stall: " + millis + " ms");
        }
        assertArrayEquals(content, direct(bucket).read("a/file").orElseThrow());
    }

    @Test
    void pushTreeGoesThroughAnEndpointThatDropsItsFirstConnections() {
        String bucket = EMULATOR.newVersionedBucket("retries");
        Path tree = tmp.resolve("tree");
        Trees.copy(Trees.examples(), tree);
        for (int i = 0; i < 300; i++) {
            Trees.write(tree.resolve("template/v1/v1.2/dirs/etc/many/file-" + i), "file " + i + "\n");
        }
        LocalDirStore local = new LocalDirStore(tree);
        try (FlakyProxy proxy = new FlakyProxy(EMULATOR.ministack().port(), 60, Duration.ZERO);
                S3Client s3 = MiniStack.s3Builder(proxy.endpoint()).build()) {
            TreeTransfer.Summary summary =
                    TreeTransfer.pushTree(local, S3Stores.open(s3, bucket, "", Clock.systemUTC()));
            assertEquals(60, proxy.dropped());
            assertEquals(local.listFiles("").size(), summary.files());
        }
        BucketStore pushed = direct(bucket);
        assertEquals(local.listFiles(""), pushed.listFiles(""));
        for (String path : local.listFiles("template")) {
            assertArrayEquals(local.read(path).orElseThrow(), pushed.read(path).orElseThrow(), path);
        }
    }
}
