package io.smdrelease.aws.signer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.error.SigningRefusedException;
import io.smdrelease.signing.JwsAlgorithm;
import io.smdrelease.signing.PayloadSigner;
import io.smdrelease.signing.Pem;
import io.smdrelease.signing.SignedBytes;
import io.smdrelease.signing.SigningException;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.GetCertificateResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.signer.SignerClient;
import software.amazon.awssdk.services.signer.model.DescribeSigningJobResponse;
import software.amazon.awssdk.services.signer.model.GetSigningProfileResponse;
import software.amazon.awssdk.services.signer.model.SigningProfileStatus;
import software.amazon.awssdk.services.signer.model.SigningStatus;
import software.amazon.awssdk.services.signer.model.StartSigningJobResponse;

/**
 * Signs with AWS Signer on the {@value SigningSetup#PLATFORM} platform, whose signing jobs sign an S3 object's bytes
 * with ECDSA SHA-256 and the private key ACM holds for the profile's certificate: the JWS signing input is put in the
 * bucket under {@code signing/<id>/}, a job signs it into {@code signing/<id>/signed/}, and the DER signature of the
 * signed object becomes JWS's {@code R || S}. The certificate must have a P-256 key (ES256). The temporary objects are
 * deleted (by version) when done; a job given up on may still write its signed object afterwards, which the stack's
 * lifecycle rule on {@code signing/} expires.
 *
 * <p>IAM: {@code signer:GetSigningProfile}, {@code signer:StartSigningJob}, {@code signer:DescribeSigningJob},
 * {@code acm:GetCertificate}, and {@code s3:PutObject}, {@code s3:GetObject*}, {@code s3:DeleteObject*} on
 * {@code signing/*}; Signer itself reads and writes the bucket with the caller's permissions.
 */
public final class SignerPayloadSigner implements PayloadSigner {
    /** How long a signing job may take before signing fails (AWS Signer jobs take seconds). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FIRST_POLL = Duration.ofMillis(200);
    private static final Duration MAX_POLL = Duration.ofSeconds(5);

    private final SignerClient signer;
    private final AcmClient acm;
    private final S3Client s3;
    private final String profileName;
    private final String bucket;
    private final Duration timeout;

    /**
     * @param bucket  where the signing input and the signed object live for the job (versioned on AWS)
     * @param timeout how long to wait for the job
     */
    public SignerPayloadSigner(
            SignerClient signer, AcmClient acm, S3Client s3, String profileName, String bucket, Duration timeout) {
        this.signer = signer;
        this.acm = acm;
        this.s3 = s3;
        this.profileName = SigningSetup.requireProfileName(profileName, "profile name");
        this.bucket = bucket;
        this.timeout = timeout;
    }

    @Override
    public String jwsAlgorithm() {
        return JwsAlgorithm.ES256.name(); // the platform signs with SHA-256; a P-256 key is required in sign()
    }

    @Override
    public SignedBytes sign(byte[] signingInput) {
        GetSigningProfileResponse profile = signer.getSigningProfile(b -> b.profileName(profileName));
        if (profile.status() != SigningProfileStatus.ACTIVE) {
            throw new SigningRefusedException("AWS Signer profile " + profileName + " is " + profile.statusAsString()
                    + ": it signs no more; make a new profile with signing-setup and deploy the stack with it"
                    + " (signingProfile)");
        }
        if (!SigningSetup.PLATFORM.equals(profile.platformId())) {
            throw new SigningRefusedException("AWS Signer profile " + profileName + " is on platform "
                    + profile.platformId()
                    + "; image signatures need " + SigningSetup.PLATFORM + " (run signing-setup)");
        }
        List<X509Certificate> chain = chain(profile.signingMaterial().certificateArn());
        String id = UUID.randomUUID().toString();
        String inputKey = "signing/" + id + "/input";
        String inputVersion = s3.putObject(b -> b.bucket(bucket).key(inputKey), RequestBody.fromBytes(signingInput))
                .versionId();
        List<S3Object> written = new ArrayList<>();
        written.add(new S3Object(inputKey, inputVersion));
        try {
            StartSigningJobResponse started = signer.startSigningJob(b -> b.profileName(profileName)
                    .clientRequestToken(id)
                    .source(s -> s.s3(o ->
                            o.bucketName(bucket).key(inputKey).version(inputVersion == null ? "null" : inputVersion)))
                    .destination(d -> d.s3(o -> o.bucketName(bucket).prefix("signing/" + id + "/signed/"))));
            DescribeSigningJobResponse job = awaitJob(started.jobId());
            String signedKey = job.signedObject().s3().key();
            ResponseBytes<GetObjectResponse> signed =
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(signedKey));
            written.add(new S3Object(signedKey, signed.response().versionId()));
            byte[] joseSignature = joseSignature(started.jobId(), signed.asByteArray());
            Map<String, String> provenance = new LinkedHashMap<>();
            provenance.put("signer.jobId", started.jobId());
            provenance.put("signer.profileVersionArn", profile.profileVersionArn());
            if (started.jobOwner() != null) {
                provenance.put("signer.jobOwner", started.jobOwner());
            }
            return new SignedBytes(joseSignature, chain, provenance);
        } finally {
            for (S3Object object : written) {
                s3.deleteObject(b -> b.bucket(bucket).key(object.key()).versionId(object.versionId()));
            }
        }
    }

    /** The certificate first, then its chain as ACM holds it; its key must be P-256. */
    private List<X509Certificate> chain(String certificateArn) {
        GetCertificateResponse certificate = acm.getCertificate(b -> b.certificateArn(certificateArn));
        List<X509Certificate> chain = new ArrayList<>(Pem.certificates(certificate.certificate(), certificateArn));
        if (certificate.certificateChain() != null
                && !certificate.certificateChain().isBlank()) {
            chain.addAll(Pem.certificates(certificate.certificateChain(), certificateArn + " (chain)"));
        }
        X509Certificate leaf = chain.getFirst();
        if (!(leaf.getPublicKey() instanceof ECPublicKey key) || !JwsAlgorithm.ES256.matches(key)) {
            throw new SigningRefusedException("the certificate " + certificateArn + " of AWS Signer profile "
                    + profileName
                    + " (" + leaf.getSubjectX500Principal() + ") must have a P-256 EC key: its platform signs with"
                    + " SHA-256, which JWS pairs with P-256 only (ES256); import a P-256 certificate and make a new"
                    + " profile with signing-setup");
        }
        return chain;
    }

    private DescribeSigningJobResponse awaitJob(String jobId) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = FIRST_POLL;
        while (true) {
            DescribeSigningJobResponse job = signer.describeSigningJob(b -> b.jobId(jobId));
            if (job.status() == SigningStatus.SUCCEEDED) {
                return job;
            }
            if (job.status() == SigningStatus.FAILED) {
                throw new SigningException(
                        "AWS Signer job " + jobId + " of profile " + profileName + " failed: " + job.statusReason());
            }
            if (System.nanoTime() + pause.toNanos() > deadline) {
                throw new SigningException("AWS Signer job " + jobId + " of profile " + profileName
                        + " did not finish within " + timeout.toSeconds() + " s (status " + job.statusAsString()
                        + ")");
            }
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
        }
    }

    /**
     * The signature of the signed object ({@code {"rawPayloadSize","signature","signatureAlgorithm",…}}, the
     * signature base64 DER) as JWS's {@code R || S}.
     */
    private static byte[] joseSignature(String jobId, byte[] signedObject) {
        try {
            JsonNode document = JSON.readTree(signedObject);
            String algorithm = document.path("signatureAlgorithm").asText();
            if (!"SHA256withECDSA".equals(algorithm)
                    || !document.path("signature").isTextual()) {
                throw new SigningException("the signed object of AWS Signer job " + jobId + " is not an ECDSA SHA-256"
                        + " signature (signatureAlgorithm '" + algorithm + "')");
            }
            return JwsAlgorithm.ES256.p1363FromDer(
                    Base64.getDecoder().decode(document.get("signature").asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new SigningException(
                    "the signed object of AWS Signer job " + jobId + " is not Signer's JSON: " + e.getMessage(), e);
        }
    }

    /** A temporary object, deleted by version so that a versioned bucket keeps nothing of it. */
    private record S3Object(String key, String versionId) {}

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SigningException("interrupted while waiting for an AWS Signer job", e);
        }
    }
}
