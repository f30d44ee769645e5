package io.smdrelease.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.ReleaseException;
import io.smdrelease.store.S3Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import software.amazon.awssdk.services.s3.S3Client;

/** What the handlers share: one JSON mapper, one S3 client per execution environment, and error mapping. */
final class LambdaSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private LambdaSupport() {}

    /**
     * The bucket store from the environment. The client is created once per execution environment (and captured in
     * the SnapStart snapshot), with the light URL-connection HTTP client; region and credentials come from the
     * Lambda environment, and {@code AWS_ENDPOINT_URL} is honoured by the SDK.
     */
    static S3Store storeFromEnvironment(PipelineSettings settings) {
        S3Client s3 = S3Store.clientBuilder().build();
        return S3Store.fromUri(settings.storeUri(), s3, Clock.systemUTC());
    }

    static JsonNode readInput(InputStream in) {
        try {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new InvalidInputException("the input is not JSON: " + e.getMessage());
        }
    }

    static void writeOutput(OutputStream out, Object value) throws IOException {
        JSON.writeValue(out, value);
    }

    /**
     * User errors keep their type (the state machine never retries them); anything else becomes a
     * {@link TransientFailureException}, which the state machine retries with backoff.
     */
    static RuntimeException classify(RuntimeException e) {
        if (e instanceof ReleaseException || e instanceof TransientFailureException) {
            return e;
        }
        return new TransientFailureException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
}
