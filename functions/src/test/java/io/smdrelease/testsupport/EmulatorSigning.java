package io.smdrelease.testsupport;

import io.smdrelease.aws.signer.SignerPayloadSigner;
import io.smdrelease.aws.signer.SignerTrust;
import io.smdrelease.aws.signer.SigningProfile;
import io.smdrelease.aws.signer.SigningSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.signer.SignerClient;

/**
 * The stack's signing in MiniStack, as an operator sets it up once: a P-256 code-signing certificate made with openssl
 * imported into ACM with its key, and a Signer profile on it ({@code signing-setup}). Its signer and trust are the
 * ones the Gates and Promote functions build from SIGNING_PROFILE and SIGNING_CERTIFICATE_ARN.
 */
public final class EmulatorSigning {
    private static final AtomicInteger PROFILES = new AtomicInteger();

    private final SignerClient signer;
    private final AcmClient acm;
    private final S3Client s3;
    private final String bucket;
    private final SigningProfile profile;

    private EmulatorSigning(SignerClient signer, AcmClient acm, S3Client s3, String bucket, SigningProfile profile) {
        this.signer = signer;
        this.acm = acm;
        this.s3 = s3;
        this.bucket = bucket;
        this.profile = profile;
    }

    /**
     * @param dir    where the certificates are made
     * @param bucket the artifact bucket (versioned), where signing jobs keep their objects under {@code signing/}
     */
    public static EmulatorSigning setUp(MiniStack ministack, S3Client s3, String bucket, Path dir) {
        SignerClient signer = ministack.client(SignerClient.builder()).build();
        AcmClient acm = ministack.client(AcmClient.builder()).build();
        SigningSetup setup = new SigningSetup(signer, acm);
        try {
            TestCertificates.Issued leaf = TestCertificates.rootCa(Files.createDirectories(dir), "Release Signing Root")
                    .leaf("release-signer", TestCertificates.P256, true, 30);
            String arn = setup.importCertificate(
                    Files.readString(leaf.certificate()), Files.readString(leaf.key()), Files.readString(leaf.root()));
            SigningProfile profile = setup.putProfile("smd_release_" + PROFILES.incrementAndGet(), arn);
            return new EmulatorSigning(signer, acm, s3, bucket, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SigningProfile profile() {
        return profile;
    }

    /** What the Gates function signs with. */
    public SignerPayloadSigner signer() {
        return new SignerPayloadSigner(signer, acm, s3, profile.profileName(), bucket, Duration.ofSeconds(30));
    }

    /** What the Promote function trusts. */
    public SignerTrust trust() {
        return new SignerTrust(signer, acm, profile.certificateArn());
    }
}
