package io.smdrelease.aws.s3;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The S3 client configuration the bucket store is made for. */
public final class S3Clients {
    private S3Clients() {}

    /**
     * The JDK HTTP client (no Apache/Netty in the jar) and no {@code Expect: 100-continue} on small uploads (see
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
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> {
                    c.addExecutionInterceptor(new NoExpectContinueForSmallBodies());
                    for (ExecutionInterceptor i : extraInterceptors) {
                        c.addExecutionInterceptor(i);
                    }
                });
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
