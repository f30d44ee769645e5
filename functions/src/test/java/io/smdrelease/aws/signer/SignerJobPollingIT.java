package io.smdrelease.aws.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.signing.NotationSignatures;
import io.smdrelease.signing.SignatureArtifact;
import io.smdrelease.signing.SigningException;
import io.smdrelease.testsupport.MiniStackExtension;
import io.smdrelease.testsupport.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.signer.SignerClient;

/**
 * The wait for an asynchronous signing job. MiniStack's Signer finishes a job within {@code StartSigningJob}; real
 * Signer answers {@code DescribeSigningJob} with {@code InProgress} for a while. The emulator's real answers are
 * rewritten to that for the first describes, so that the polling, its bound and the clean-up run as on AWS.
 */
class SignerJobPollingIT {
    @RegisterExtension
    static final MiniStackExtension EMULATOR = new MiniStackExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aJobStillRunning_isPolledUntilItSucceeds() throws Exception {
        JobStillRunning running = new JobStillRunning(3);
        try (SignerClient signer = signer(running);
                AcmClient acm = EMULATOR.ministack().client(AcmClient.builder()).build()) {
            String bucket = EMULATOR.newVersionedBucket("polled");
            SigningProfile profile = profile(signer, acm, "smd_polled");

            SignatureArtifact artifact = NotationSignatures.sign(
                    SignerIT.IMAGE,
                    new SignerPayloadSigner(
                            signer, acm, EMULATOR.s3(), profile.profileName(), bucket, Duration.ofSeconds(30)),
                    Instant.now());

            assertEquals(4, running.describes.get(), "three answers InProgress, then Succeeded");
            NotationSignatures.verify(
                    artifact.referrer(),
                    SignerIT.IMAGE,
                    new SignerTrust(signer, acm, profile.certificateArn()),
                    artifact.provenance(),
                    Instant.now());
            assertEquals(List.of(), leftOver(bucket));
        }
    }

    @Test
    void aJobThatDoesNotFinish_failsAtTheBound_andItsInputIsDeleted() throws Exception {
        JobStillRunning running = new JobStillRunning(Integer.MAX_VALUE);
        try (SignerClient signer = signer(running);
                AcmClient acm = EMULATOR.ministack().client(AcmClient.builder()).build()) {
            String bucket = EMULATOR.newVersionedBucket("unfinished");
            SigningProfile profile = profile(signer, acm, "smd_unfinished");
            SignerPayloadSigner payloadSigner = new SignerPayloadSigner(
                    signer, acm, EMULATOR.s3(), profile.profileName(), bucket, Duration.ofSeconds(1));

            SigningException e = assertThrows(
                    SigningException.class,
                    () -> NotationSignatures.sign(SignerIT.IMAGE, payloadSigner, Instant.now()));

            assertTrue(e.getMessage().contains("did not finish within 1 s (status InProgress)"), e.getMessage());
            assertTrue(running.describes.get() >= 2, "polled more than once: " + running.describes.get());
            // the input is deleted; what the job writes once given up is the bucket's lifecycle rule's (cdk
            // ArtifactStorage): here the emulator's job has written it already
            assertEquals(
                    List.of(),
                    leftOver(bucket).stream()
                            .filter(k -> !k.contains("/signed/"))
                            .toList(),
                    "the signing input is deleted when the job is given up");
        }
    }

    private static SignerClient signer(JobStillRunning interceptor) {
        return EMULATOR.ministack()
                .client(SignerClient.builder())
                .overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
                .build();
    }

    private SigningProfile profile(SignerClient signer, AcmClient acm, String name) throws Exception {
        TestCertificates.Issued leaf =
                TestCertificates.rootCa(dir, "Polling Root").leaf("polled", TestCertificates.P256, true, 30);
        SigningSetup setup = new SigningSetup(signer, acm);
        String arn = setup.importCertificate(
                Files.readString(leaf.certificate()), Files.readString(leaf.key()), Files.readString(leaf.root()));
        return setup.putProfile(name, arn);
    }

    private static List<String> leftOver(String bucket) {
        return EMULATOR.s3().listObjectVersions(b -> b.bucket(bucket).prefix("signing/")).versions().stream()
                .map(v -> v.key())
                .toList();
    }

    /** Rewrites the first {@code inProgressAnswers} DescribeSigningJob answers to a running job's. */
    static final class JobStillRunning implements ExecutionInterceptor {
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
}
