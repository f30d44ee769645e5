package io.smdrelease.aws.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.testsupport.MiniStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The client's retries against a port that refuses every connection (no emulator; backoff off so that it is quick).
 * It pins down why {@code push-tree} failed with "Connect timed out (SDK Attempt Count: 1)": the SDK's standard
 * strategy shares a retry quota per client, and once a burst of failures has spent it, a failure is not retried.
 */
class S3ClientsTest {
    private static final Pattern ATTEMPTS = Pattern.compile("SDK Attempt Count: (\\d+)");

    private static int refusingPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The attempt count of each of {@code requests} failed GetObject calls, in order. */
    private static List<Integer> attemptsOfFailedRequests(RetryStrategy strategy, int requests) throws IOException {
        URI endpoint = URI.create("http://127.0.0.1:" + refusingPort());
        List<Integer> attempts = new ArrayList<>();
        try (S3Client s3 = S3Clients.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(MiniStack.credentials())
                .forcePathStyle(true)
                .overrideConfiguration(c -> c.retryStrategy(strategy))
                .build()) {
            for (int i = 0; i < requests; i++) {
                SdkClientException e = assertThrows(
                        SdkClientException.class,
                        () -> s3.getObject(b -> b.bucket("bucket").key("k")));
                Matcher m = ATTEMPTS.matcher(e.getMessage());
                assertTrue(m.find(), e.getMessage());
                attempts.add(Integer.parseInt(m.group(1)));
            }
        }
        return attempts;
    }

    private static RetryStrategy immediately(RetryStrategy strategy) {
        return strategy.toBuilder()
                .backoffStrategy(BackoffStrategy.retryImmediately())
                .build();
    }

    @Test
    void everyFailedRequestGetsAllItsAttempts_evenAfterManyFailures() throws IOException {
        List<Integer> attempts = attemptsOfFailedRequests(immediately(S3Clients.retryStrategy()), 30);
        assertEquals(
                List.of(S3Clients.MAX_ATTEMPTS), attempts.stream().distinct().toList(), attempts.toString());
    }

    @Test
    void theSdkDefaultStopsRetryingOnceItsRetryQuotaIsSpent() throws IOException {
        // 500 tokens, 5 per retry: about 100 retries, then failures fail at their first attempt
        List<Integer> attempts = attemptsOfFailedRequests(immediately(AwsRetryStrategy.standardRetryStrategy()), 60);
        assertEquals(3, attempts.get(0), attempts.toString());
        assertEquals(1, attempts.get(attempts.size() - 1), "the diagnosis of 'SDK Attempt Count: 1': " + attempts);
    }
}
