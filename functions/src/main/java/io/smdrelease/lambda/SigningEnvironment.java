package io.smdrelease.lambda;

import io.smdrelease.aws.s3.S3Clients;
import io.smdrelease.aws.signer.SignerClients;
import io.smdrelease.aws.signer.SignerPayloadSigner;
import io.smdrelease.aws.signer.SignerTrust;
import io.smdrelease.signing.PayloadSigner;
import io.smdrelease.signing.SignatureTrust;

/**
 * The stack's signing: AWS Signer with the profile the Gates function names ({@code SIGNING_PROFILE}; its temporary
 * objects under {@code signing/} of the artifact bucket) signs; the ACM certificate the Promote function names
 * ({@code SIGNING_CERTIFICATE_ARN}) is what a signature must be made with.
 */
final class SigningEnvironment {
    private SigningEnvironment() {}

    static PayloadSigner signer(String profile, String bucket) {
        return new SignerPayloadSigner(
                SignerClients.signer(),
                SignerClients.acm(),
                S3Clients.builder().build(),
                profile,
                bucket,
                SignerPayloadSigner.DEFAULT_TIMEOUT);
    }

    static SignatureTrust trust(String certificateArn) {
        return new SignerTrust(SignerClients.signer(), SignerClients.acm(), certificateArn);
    }

    /** The value of a variable the stack sets; a missing one is a deployment without signing. */
    static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not set: the stack signs what it releases; deploy it with"
                    + " -c signingProfile=NAME -c signingCertificateArn=ARN (see smd-release signing-setup)");
        }
        return value;
    }
}
