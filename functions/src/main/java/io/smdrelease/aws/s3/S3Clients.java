package io.smdrelease.aws.s3;

import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The S3 client configuration the bucket store is made for. */
public final class S3Clients {
    /** Attempts per request, the first included: rides out some 13 s of failures with the standard backoff. */
    public static final int MAX_ATTEMPTS = 8;
    /** Time to open a connection; an unreachable or overloaded endpoint fails within it and the attempt is retried. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Time a response may stay silent; release files are small, so a longer silence means a stuck connection. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private S3Clients() {}

    /**
     * The JDK HTTP client (no Apache/Netty in the jar) with {@link #httpClient()}'s timeouts, the
     * {@link #retryStrategy()} and no {@code Expect: 100-continue} on small uploads (see
     * {@link NoExpectContinueForSmallBodies}). Region and credentials come from the environment unless set on the
     * builder. Pass further interceptors here: a later {@code overrideConfiguration(...)} on the builder replaces
     * this one.
     */
    public static S3ClientBuilder builder(ExecutionInterceptor... extraInterceptors) {
        // an endpoint override (an S3-compatible store or an emulator) is addressed path-style, as they expect
        boolean endpointOverride =
                System.getenv("AWS_ENDPOINT_URL") != null || System.getenv("AWS_ENDPOINT_URL_S3") != null;
        return S3Client.builder()
                .forcePathStyle(endpointOverride)
                .httpClient(new IoExceptionsRetried(httpClient().build()))
                .overrideConfiguration(c -> {
                    c.retryStrategy(retryStrategy());
                    c.addExecutionInterceptor(new NoExpectContinueForSmallBodies());
                    for (ExecutionInterceptor i : extraInterceptors) {
                        c.addExecutionInterceptor(i);
                    }
                });
    }

    /** The URL-connection HTTP client with {@link #CONNECT_TIMEOUT} and {@link #READ_TIMEOUT}. */
    public static UrlConnectionHttpClient.Builder httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(READ_TIMEOUT);
    }

    /**
     * The SDK's standard retry strategy (exponential backoff with full jitter, throttling and transient errors,
     * I/O failures such as a refused or timed-out connection) with {@link #MAX_ATTEMPTS} attempts and without its
     * circuit breaker. The circuit breaker is a retry quota shared by the client (500 tokens, 5 per retry): a burst
     * of failed connections to an overloaded endpoint, e.g. 1,600 parallel uploads of {@code push-tree} to an
     * emulator that answers one request at a time, spends it in some 100 retries, after which every failure fails at
     * once ("SDK Attempt Count: 1"). A release tool would rather wait: its requests are bounded
     * ({@link io.smdrelease.store.BoundedParallel}), so the retries cannot storm.
     */
    public static RetryStrategy retryStrategy() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(MAX_ATTEMPTS)
                .circuitBreakerEnabled(false)
                .build();
    }

    /**
     * Removes the {@code Expect: 100-continue} header the S3 client adds to every PutObject when the body is under
     * 1 MiB. Waiting for "100 Continue" costs a network round trip per upload, doubling the time of a small PUT; for
     * the kilobyte-sized files of a release the early refusal it allows is worth nothing.
     */
    public static final class NoExpectContinueForSmallBodies implements ExecutionInterceptor {
        static final long THRESHOLD = 1024 * 1024;

        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            SdkHttpRequest request = context.httpRequest();
            if (request.firstMatchingHeader("Expect").isEmpty()) {
                return request;
            }
            long length = request.firstMatchingHeader("x-amz-decoded-content-length")
                    .or(() -> request.firstMatchingHeader("Content-Length"))
                    .map(NoExpectContinueForSmallBodies::parseLength)
                    .orElse(Long.MAX_VALUE);
            return length < THRESHOLD
                    ? request.toBuilder().removeHeader("Expect").build()
                    : request;
        }

        private static long parseLength(String value) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
    }
}
