package io.smdrelease.lambda;

import io.smdrelease.aws.s3.S3Clients;
import io.smdrelease.aws.signer.SignerClients;
import io.smdrelease.aws.signer.SignerPayloadSigner;
import io.smdrelease.aws.signer.SignerTrust;
import io.smdrelease.signing.PayloadSigner;
import io.smdrelease.signing.SignatureTrust;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.signer.SignerClient;

/**
 * The stack's signing: AWS Signer with the profile the Gates function names ({@code SIGNING_PROFILE}; its temporary
 * objects under {@code signing/} of the artifact bucket) signs; the ACM certificate the Promote function names
 * ({@code SIGNING_CERTIFICATE_ARN}) is what a signature must be made with.
 */
final class SigningEnvironment {
    private SigningEnvironment() {}

    /**
     * The SDK clients, made on first use (the JVM initialises a class once, lazily and thread-safely) and kept for the
     * execution environment, as the store's client is: a client costs its start-up once, not on every invocation.
     */
    private static final class Clients {
        static final SignerClient SIGNER = SignerClients.signer();
        static final AcmClient ACM = SignerClients.acm();
    }

    /** The S3 client the signing jobs' objects go through: Gates only, so that Promote, which verifies, makes none. */
    private static final class SigningObjects {
        static final S3Client S3 = S3Clients.builder().build();
    }

    static PayloadSigner signer(String profile, String bucket) {
        return new SignerPayloadSigner(
                Clients.SIGNER, Clients.ACM, SigningObjects.S3, profile, bucket, SignerPayloadSigner.DEFAULT_TIMEOUT);
    }

    static SignatureTrust trust(String certificateArn) {
        return new SignerTrust(Clients.SIGNER, Clients.ACM, certificateArn);
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
