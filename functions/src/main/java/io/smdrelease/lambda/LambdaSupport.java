package io.smdrelease.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.aws.ecr.EcrRegistryCredentials;
import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.ReleaseException;
import io.smdrelease.oci.OciRegistryClient;
import io.smdrelease.oci.RetryPolicy;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.release.ReleaseInput;
import io.smdrelease.release.ReleaseLifecycle;
import io.smdrelease.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/** What the handlers share: one JSON mapper, one S3 client per execution environment, and error mapping. */
final class LambdaSupport {
    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private LambdaSupport() {}

    /**
     * The bucket store from the environment. The client is created once per execution environment (and captured in
     * the SnapStart snapshot), with the light URL-connection HTTP client; region and credentials come from the
     * Lambda environment, and {@code AWS_ENDPOINT_URL} is honoured by the SDK.
     */
    static ArtifactStore storeFromEnvironment(PipelineSettings settings) {
        return S3Stores.open(settings.storeUri());
    }

    /** Registries logged in with ECR tokens of the function's role (the hosts of {@code ECR_REGISTRY_HOSTS}). */
    static RegistryClient ecrRegistry() {
        return new OciRegistryClient(EcrRegistryCredentials.fromEnvironment(System.getenv()), RetryPolicy.DEFAULT);
    }

    /**
     * The lifecycle over the bucket for one invocation: the image configurations are the distribution's own
     * ({@code image-configs.json} in the bucket, else the built-in ones), read when the invocation runs.
     */
    static ReleaseLifecycle lifecycle(ArtifactStore store, Clock clock) {
        return new ReleaseLifecycle(store, ImageConfigs.load(store), clock);
    }

    /**
     * Runs the pure code paths of an invocation once (input validation, version and env-file parsing, JSON output)
     * so that their classes are loaded and initialised before a SnapStart snapshot is taken; touches no network.
     */
    static void prime() {
        try {
            ReleaseInput.parse(JSON.readTree("{\"releaseType\":\"patch\",\"basePatchVersion\":\"1.2.3\","
                    + "\"targetEcrRepos\":[\"123456789012.dkr.ecr.us-east-1.amazonaws.com/r\"],\"skipTests\":true}"));
            io.smdrelease.version.SemVer.parseImageVersion("1.2.3");
            io.smdrelease.conda.EnvFile.parse(
                    "prime",
                    ("@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/noarch/" + "pip-24.0-pyhd8ed1ab_0.conda#f586\n")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            JSON.writeValueAsBytes(JSON.createObjectNode().put("prime", true));
        } catch (IOException e) {
            throw new IllegalStateException("priming failed", e);
        }
    }

    static JsonNode readInput(InputStream in) {
        try {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new InvalidInputException("the input is not JSON: " + e.getMessage());
        }
    }

    /** The typed input of a step; {@code shape} says what the state machine must pass, for the message. */
    static <T> T readInput(InputStream in, Class<T> type, String shape) {
        try {
            T value = JSON.readValue(in, type);
            if (value == null) {
                throw new InvalidInputException("the input is empty: the state machine passes " + shape);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(
                    "the input is not " + shape + ": " + e.getOriginalMessage() + " (docs/contract.md)");
        } catch (IOException e) {
            throw new InvalidInputException("the input cannot be read: " + e.getMessage());
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
