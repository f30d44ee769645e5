package io.smdrelease.bench;

import io.smdrelease.aws.signer.SignerPayloadSigner;
import io.smdrelease.aws.signer.SignerTrust;
import io.smdrelease.aws.signer.SigningProfile;
import io.smdrelease.aws.signer.SigningSetup;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.signing.LocalKeySigner;
import io.smdrelease.signing.NotationSignatures;
import io.smdrelease.signing.SignatureArtifact;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.signer.SignerClient;

/**
 * Cost of signing one candidate and of verifying it before promotion: in process with a local P-256 key (the CLI on a
 * laptop), and with AWS Signer as the pipeline does it, against MiniStack (AWS API calls counted; MiniStack signs
 * synchronously, so real Signer adds its job latency). A plain main, run by bench/run.sh.
 *
 * <p>Usage: {@code java -cp … io.smdrelease.bench.SigningBench [iterations]}.
 */
public final class SigningBench {
    private static final Descriptor IMAGE =
            new Descriptor("application/vnd.oci.image.manifest.v1+json", "sha256:" + "ab".repeat(32), 1234);

    private SigningBench() {}

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path dir = Files.createTempDirectory("signing-bench");
        TestCertificates ca = TestCertificates.rootCa(dir, "Bench Root");
        TestCertificates.Issued leaf = ca.leaf("bench-signer", TestCertificates.P256, true, 1);
        LocalKeySigner local = leaf.signer();
        report(
                "local key: sign (ES256)",
                200,
                iterations * 4,
                () -> NotationSignatures.sign(IMAGE, local, Instant.now()));
        SignatureArtifact signed = NotationSignatures.sign(IMAGE, local, Instant.now());
        report(
                "local key: verify (envelope, chain, payload)",
                200,
                iterations * 4,
                () -> NotationSignatures.verify(signed.referrer(), IMAGE, ca.trust(), Map.of(), Instant.now()));

        AtomicInteger calls = new AtomicInteger();
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                calls.incrementAndGet();
            }
        };
        try (MiniStack ms = MiniStack.start(Map.of())) {
            SignerClient signer = ms.client(SignerClient.builder())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                    .build();
            AcmClient acm = ms.client(AcmClient.builder())
                    .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                    .build();
            S3Client s3 = ms.client(S3Client.builder())
                    .forcePathStyle(true)
                    .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                    .build();
            s3.createBucket(b -> b.bucket("bench"));
            s3.putBucketVersioning(
                    b -> b.bucket("bench").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
            SigningSetup setup = new SigningSetup(signer, acm);
            String arn = setup.importCertificate(
                    Files.readString(leaf.certificate()), Files.readString(leaf.key()), Files.readString(leaf.root()));
            SigningProfile profile = setup.putProfile("bench_profile", arn);
            SignerPayloadSigner aws =
                    new SignerPayloadSigner(signer, acm, s3, profile.profileName(), "bench", Duration.ofSeconds(30));
            SignerTrust trust = new SignerTrust(signer, acm, arn);
            calls.set(0);
            SignatureArtifact viaSigner = NotationSignatures.sign(IMAGE, aws, Instant.now());
            System.out.println("AWS Signer: sign = " + calls.getAndSet(0) + " API calls");
            NotationSignatures.verify(viaSigner.referrer(), IMAGE, trust, viaSigner.provenance(), Instant.now());
            System.out.println("AWS Signer: verify = " + calls.getAndSet(0) + " API calls");
            report(
                    "AWS Signer (MiniStack): sign",
                    5,
                    iterations,
                    () -> NotationSignatures.sign(IMAGE, aws, Instant.now()));
            report(
                    "AWS Signer (MiniStack): verify",
                    5,
                    iterations,
                    () -> NotationSignatures.verify(
                            viaSigner.referrer(), IMAGE, trust, viaSigner.provenance(), Instant.now()));
        }
    }

    private static void report(String name, int warmup, int iterations, Supplier<Object> work) {
        for (int i = 0; i < warmup; i++) {
            work.get();
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            work.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(
                Locale.ROOT,
                "%-48s median %.2f ms, p90 %.2f ms (%d runs)%n",
                name,
                ms[iterations / 2],
                ms[(int) (iterations * 0.9)],
                iterations);
    }
}
