package io.smdrelease.aws.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The URL-connection client reports a connection reset while it writes a request body as an
 * {@link UncheckedIOException}, which the SDK's retry stage does not look at (it retries {@code IOException}s), so an
 * upload into a dropped connection failed at its first attempt. This wrapper hands the SDK the {@code IOException}
 * itself, and the upload is retried like any other I/O failure.
 */
final class IoExceptionsRetried implements SdkHttpClient {
    private final SdkHttpClient delegate;

    IoExceptionsRetried(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest prepared = delegate.prepareRequest(request);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                try {
                    return prepared.call();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }

            @Override
            public void abort() {
                prepared.abort();
            }
        };
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
