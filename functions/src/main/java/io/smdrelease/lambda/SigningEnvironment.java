package io.smdrelease.lambda;

import io.smdrelease.aws.s3.S3Clients;
import io.smdrelease.aws.signer.SignerPayloadSigner;
import io.smdrelease.aws.signer.SignerTrust;
import io.smdrelease.signing.PayloadSigner;
import io.smdrelease.signing.SignatureTrust;

/**
 * The stack's signing, from the function's environment: AWS Signer with the profile {@code SIGNING_PROFILE} (its
 * temporary objects under {@code signing/} of the artifact bucket) signs; the ACM certificate
 * {@code SIGNING_CERTIFICATE_ARN} is what a signature must be made with.
 */
final class SigningEnvironment {
    private SigningEnvironment() {}

    static PayloadSigner signer(PipelineSettings settings) {
        required(settings, PipelineSettings.SIGNING_PROFILE);
        return SignerPayloadSigner.fromEnvironment(
                settings.environment(), S3Clients.builder().build(), settings.artifactBucket());
    }

    static SignatureTrust trust(PipelineSettings settings) {
        required(settings, PipelineSettings.SIGNING_CERTIFICATE_ARN);
        return SignerTrust.fromEnvironment(settings.environment());
    }

    private static void required(PipelineSettings settings, String variable) {
        String value = settings.environment().get(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: the stack signs what it releases; deploy it with"
                    + " -c signingProfile=NAME -c signingCertificateArn=ARN (see smd-release signing-setup)");
        }
    }
}
