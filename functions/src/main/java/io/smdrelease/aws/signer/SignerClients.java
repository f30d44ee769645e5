package io.smdrelease.aws.signer;

import io.smdrelease.aws.s3.S3Clients;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.signer.SignerClient;

/**
 * AWS Signer and ACM clients with the light URL-connection HTTP client; region, credentials and
 * {@code AWS_ENDPOINT_URL} come from the environment.
 */
public final class SignerClients {
    private SignerClients() {}

    public static SignerClient signer() {
        return SignerClient.builder().httpClientBuilder(S3Clients.httpClient()).build();
    }

    public static AcmClient acm() {
        return AcmClient.builder().httpClientBuilder(S3Clients.httpClient()).build();
    }
}
