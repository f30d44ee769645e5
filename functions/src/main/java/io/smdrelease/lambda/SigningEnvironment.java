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
    /**
     * The SDK clients, made on first use and kept for the execution environment (as the store's S3 client is): a
     * client costs its start-up once, not on every invocation.
     */
    private static volatile Clients clients;

    private record Clients(SignerClient signer, AcmClient acm, S3Client s3) {}

    private SigningEnvironment() {}

    private static Clients clients() {
        Clients c = clients;
        if (c == null) {
            synchronized (SigningEnvironment.class) {
                c = clients;
                if (c == null) {
                    c = new Clients(
                            SignerClients.signer(),
                            SignerClients.acm(),
                            S3Clients.builder().build());
                    clients = c;
                }
            }
        }
        return c;
    }

    static PayloadSigner signer(String profile, String bucket) {
        Clients c = clients();
        return new SignerPayloadSigner(
                c.signer(), c.acm(), c.s3(), profile, bucket, SignerPayloadSigner.DEFAULT_TIMEOUT);
    }

    static SignatureTrust trust(String certificateArn) {
        Clients c = clients();
        return new SignerTrust(c.signer(), c.acm(), certificateArn);
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
