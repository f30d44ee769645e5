package io.smdrelease.aws.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.SigningRefusedException;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.signing.NotationSignatures;
import io.smdrelease.signing.SignatureArtifact;
import io.smdrelease.signing.SignatureRejectedException;
import io.smdrelease.signing.SigningException;
import io.smdrelease.signing.VerifiedSignature;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.MiniStackExtension;
import io.smdrelease.testsupport.PythonEnvelopeCheck;
import io.smdrelease.testsupport.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.signer.SignerClient;

/**
 * Image signatures made by MiniStack's AWS Signer, which really signs with the ECDSA key ACM holds for the profile's
 * certificate: setup, sign, verify with the ACM certificate as anchor; a cancelled profile; a failed job; a job that
 * takes its time, as on AWS.
 */
class SignerIT {
    @RegisterExtension
    static final MiniStackExtension EMULATOR = new MiniStackExtension();

    static final Descriptor IMAGE =
            new Descriptor("application/vnd.oci.image.index.v1+json", "sha256:" + "7f".repeat(32), 2048);
    private static final AtomicInteger PROFILES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static SignerClient signer;
    static AcmClient acm;
    static TestCertificates ca;
    static String bucket;

    @BeforeAll
    static void clients() {
        MiniStack ms = EMULATOR.ministack();
        signer = ms.client(SignerClient.builder()).build();
        acm = ms.client(AcmClient.builder()).build();
        ca = TestCertificates.rootCa(dir, "Signer Root");
        bucket = EMULATOR.newVersionedBucket("artifacts");
    }

    @AfterAll
    static void close() {
        signer.close();
        acm.close();
    }

    private static SigningProfile setUp(TestCertificates.Issued leaf) throws Exception {
        SigningSetup setup = new SigningSetup(signer, acm);
        String arn = setup.importCertificate(
                Files.readString(leaf.certificate()), Files.readString(leaf.key()), Files.readString(leaf.root()));
        return setup.putProfile("smd_images_" + PROFILES.incrementAndGet(), arn);
    }

    private static SignerPayloadSigner signerOf(SigningProfile profile) {
        return new SignerPayloadSigner(
                signer, acm, EMULATOR.s3(), profile.profileName(), bucket, Duration.ofSeconds(30));
    }

    @Test
    void setupSignVerify_withTheAcmCertificateAsAnchor() throws Exception {
        TestCertificates.Issued leaf = ca.leaf("aws-signer", TestCertificates.P256, true, 30);
        SigningProfile profile = setUp(leaf);
        assertEquals(
                profile,
                new SigningSetup(signer, acm).putProfile(profile.profileName(), profile.certificateArn()),
                "a second setup changes nothing");

        Instant now = Instant.now();
        SignatureArtifact artifact = NotationSignatures.sign(IMAGE, signerOf(profile), now);
        SignerTrust trust = new SignerTrust(signer, acm, profile.certificateArn());
        VerifiedSignature verified =
                NotationSignatures.verify(artifact.referrer(), IMAGE, trust, artifact.provenance(), now);

        assertEquals("CN=aws-signer", verified.certificateSubject());
        assertEquals(profile.profileVersionArn(), artifact.provenance().get("signer.profileVersionArn"));
        assertTrue(
                artifact.provenance().get("signer.jobId").matches("[0-9a-f-]{36}"),
                artifact.provenance().toString());
        assertEquals(2, trust.anchors().size(), "the certificate and the root of its chain");
        assertEquals(List.of(), signingObjects(bucket), "the temporary objects are gone, every version");
        assertEquals(
                "verified ES256 CN=aws-signer",
                PythonEnvelopeCheck.check(
                        dir, artifact.referrer().layers().getFirst().content(), leaf.root(), IMAGE));
    }

    @Test
    void aCancelledProfile_revokesItsSignatures() throws Exception {
        SigningProfile profile = setUp(ca.leaf("to-cancel", TestCertificates.P256, true, 30));
        Instant now = Instant.now();
        SignatureArtifact artifact = NotationSignatures.sign(IMAGE, signerOf(profile), now);
        SignerTrust trust = new SignerTrust(signer, acm, profile.certificateArn());
        assertEquals(Optional.empty(), trust.revoked(artifact.provenance()));

        signer.cancelSigningProfile(b -> b.profileName(profile.profileName()));

        assertEquals(
                Optional.of("AWS Signer profile " + profile.profileName() + " of job "
                        + artifact.provenance().get("signer.jobId") + " is Canceled"),
                trust.revoked(artifact.provenance()));
        SignatureRejectedException e = assertThrows(
                SignatureRejectedException.class,
                () -> NotationSignatures.verify(artifact.referrer(), IMAGE, trust, artifact.provenance(), now));
        assertTrue(e.getMessage().contains("was revoked: AWS Signer profile"), e.getMessage());
        // no retry makes a cancelled profile sign: a user error, which the state machine does not retry
        SigningRefusedException refused = assertThrows(
                SigningRefusedException.class, () -> NotationSignatures.sign(IMAGE, signerOf(profile), now));
        assertTrue(refused.getMessage().contains("is Canceled: it signs no more"), refused.getMessage());
    }

    @Test
    void aFailedSigningJob_isASigningExceptionWithSignersReason() throws Exception {
        // a P-256 certificate with an RSA key (ACM here does not pair them up): Signer's job fails on the key
        TestCertificates.Issued leaf = ca.leaf("mismatched", TestCertificates.P256, true, 30);
        TestCertificates.Issued rsa = ca.leaf("rsa", TestCertificates.RSA, true, 30);
        String arn = acm.importCertificate(
                        b -> b.certificate(pem(leaf.certificate())).privateKey(pem(rsa.key())))
                .certificateArn();
        SigningProfile profile = new SigningSetup(signer, acm).putProfile("smd_failing", arn);

        SigningException e = assertThrows(
                SigningException.class, () -> NotationSignatures.sign(IMAGE, signerOf(profile), Instant.now()));
        assertTrue(
                e.getMessage().matches("AWS Signer job \\S+ of profile smd_failing failed: .*EC private key.*"),
                e.getMessage());
    }

    @Test
    void aP384Certificate_isRefusedWithWhatToDo() throws Exception {
        TestCertificates.Issued p384 = ca.leaf("p384", TestCertificates.P384, true, 30);
        InvalidInputException atSetup = assertThrows(InvalidInputException.class, () -> setUp(p384));
        assertTrue(atSetup.getMessage().contains("P-384 key"), atSetup.getMessage());

        String arn = acm.importCertificate(
                        b -> b.certificate(pem(p384.certificate())).privateKey(pem(p384.key())))
                .certificateArn();
        SigningProfile profile = new SigningSetup(signer, acm).putProfile("smd_p384", arn);
        SigningRefusedException e = assertThrows(
                SigningRefusedException.class, () -> NotationSignatures.sign(IMAGE, signerOf(profile), Instant.now()));
        assertTrue(e.getMessage().contains("must have a P-256 EC key"), e.getMessage());
    }

    @Test
    void aCertificateWithoutCodeSigning_isRefusedAtSetup() {
        TestCertificates.Issued web = ca.leaf("web", TestCertificates.P256, false, 30);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> setUp(web));
        assertTrue(
                e.getMessage().contains("cannot sign images: a signature was made with certificate CN=web"),
                e.getMessage());
    }

    /**
     * The wait for an asynchronous job: MiniStack's Signer finishes a job within StartSigningJob, while AWS answers
     * DescribeSigningJob with InProgress for a while; the emulator's real answers are rewritten to that for the first
     * describes, so that the polling, its bound and the clean-up run as on AWS.
     */
    @Test
    void aJobStillRunning_isPolledUntilItSucceeds() throws Exception {
        SigningProfile profile = setUp(ca.leaf("polled", TestCertificates.P256, true, 30));
        JobStillRunning running = new JobStillRunning(3);
        try (SignerClient polled = signerWith(running)) {
            SignatureArtifact artifact = NotationSignatures.sign(
                    IMAGE,
                    new SignerPayloadSigner(
                            polled, acm, EMULATOR.s3(), profile.profileName(), bucket, Duration.ofSeconds(30)),
                    Instant.now());

            assertEquals(4, running.describes.get(), "three answers InProgress, then Succeeded");
            NotationSignatures.verify(
                    artifact.referrer(),
                    IMAGE,
                    new SignerTrust(signer, acm, profile.certificateArn()),
                    artifact.provenance(),
                    Instant.now());
        }
        assertEquals(List.of(), signingObjects(bucket));
    }

    @Test
    void aJobThatDoesNotFinish_failsAtTheBound_andItsInputIsDeleted() throws Exception {
        SigningProfile profile = setUp(ca.leaf("unfinished", TestCertificates.P256, true, 30));
        String unfinished = EMULATOR.newVersionedBucket("unfinished");
        JobStillRunning running = new JobStillRunning(Integer.MAX_VALUE);
        try (SignerClient polled = signerWith(running)) {
            SignerPayloadSigner payloadSigner = new SignerPayloadSigner(
                    polled, acm, EMULATOR.s3(), profile.profileName(), unfinished, Duration.ofSeconds(1));

            SigningException e = assertThrows(
                    SigningException.class, () -> NotationSignatures.sign(IMAGE, payloadSigner, Instant.now()));

            assertTrue(e.getMessage().contains("did not finish within 1 s (status InProgress)"), e.getMessage());
            assertTrue(running.describes.get() >= 2, "polled more than once: " + running.describes.get());
        }
        // the input is deleted; what the job writes once given up is the bucket's lifecycle rule's (cdk
        // ArtifactStorage): here the emulator's job has written it already
        assertEquals(
                List.of(),
                signingObjects(unfinished).stream()
                        .filter(k -> !k.contains("/signed/"))
                        .toList(),
                "the signing input is deleted when the job is given up");
    }

    private static SignerClient signerWith(JobStillRunning interceptor) {
        return EMULATOR.ministack()
                .client(SignerClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
                .build();
    }

    /** Every version of every object under {@code signing/}. */
    private static List<String> signingObjects(String bucket) {
        return EMULATOR.s3().listObjectVersions(b -> b.bucket(bucket).prefix("signing/")).versions().stream()
                .map(v -> v.key())
                .toList();
    }

    /** Rewrites the first {@code inProgressAnswers} DescribeSigningJob answers to a running job's. */
    private static final class JobStillRunning implements ExecutionInterceptor {
        final AtomicInteger describes = new AtomicInteger();
        private final int inProgressAnswers;

        JobStillRunning(int inProgressAnswers) {
            this.inProgressAnswers = inProgressAnswers;
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(
                Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            if (!"DescribeSigningJob".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                    || describes.incrementAndGet() > inProgressAnswers) {
                return context.responseBody();
            }
            try (InputStream in = context.responseBody().orElseThrow()) {
                ObjectNode job = (ObjectNode) JSON.readTree(in);
                job.put("status", "InProgress");
                job.remove(List.of("signedObject", "completedAt", "statusReason"));
                return Optional.of(new ByteArrayInputStream(JSON.writeValueAsBytes(job)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static SdkBytes pem(Path file) {
        try {
            return SdkBytes.fromString(Files.readString(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
