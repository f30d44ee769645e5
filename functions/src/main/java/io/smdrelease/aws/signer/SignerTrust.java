package io.smdrelease.aws.signer;

import io.smdrelease.signing.Pem;
import io.smdrelease.signing.SignatureTrust;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.GetCertificateResponse;
import software.amazon.awssdk.services.signer.SignerClient;
import software.amazon.awssdk.services.signer.model.DescribeSigningJobResponse;
import software.amazon.awssdk.services.signer.model.GetSigningProfileResponse;
import software.amazon.awssdk.services.signer.model.ResourceNotFoundException;
import software.amazon.awssdk.services.signer.model.SigningJobRevocationRecord;
import software.amazon.awssdk.services.signer.model.SigningProfileStatus;
import software.amazon.awssdk.services.signer.model.SigningStatus;

/**
 * Trusts the signing certificate of the pipeline's AWS Signer profile as ACM holds it (and the root of its chain, when
 * ACM has one), and asks Signer whether a signing still stands: the job must have succeeded and not been revoked, and
 * its profile must be neither revoked nor cancelled.
 *
 * <p>IAM: {@code acm:GetCertificate}, {@code signer:DescribeSigningJob}, {@code signer:GetSigningProfile}.
 */
public final class SignerTrust implements SignatureTrust {
    private final SignerClient signer;
    private final AcmClient acm;
    private final String certificateArn;
    private volatile List<X509Certificate> anchors;

    public SignerTrust(SignerClient signer, AcmClient acm, String certificateArn) {
        this.signer = signer;
        this.acm = acm;
        this.certificateArn = certificateArn;
    }

    @Override
    public List<X509Certificate> anchors() {
        if (anchors == null) {
            GetCertificateResponse certificate = acm.getCertificate(b -> b.certificateArn(certificateArn));
            List<X509Certificate> trusted =
                    new ArrayList<>(Pem.certificates(certificate.certificate(), certificateArn));
            if (certificate.certificateChain() != null
                    && !certificate.certificateChain().isBlank()) {
                trusted.add(Pem.certificates(certificate.certificateChain(), certificateArn + " (chain)")
                        .getLast());
            }
            anchors = List.copyOf(trusted);
        }
        return anchors;
    }

    @Override
    public Optional<String> revoked(Map<String, String> provenance) {
        String jobId = provenance.get("signer.jobId");
        if (jobId == null) {
            return Optional.of("its provenance names no AWS Signer job (signer.jobId): it was not signed by the"
                    + " pipeline's Signer profile");
        }
        DescribeSigningJobResponse job;
        try {
            job = signer.describeSigningJob(b -> b.jobId(jobId));
        } catch (ResourceNotFoundException e) {
            return Optional.of("AWS Signer has no signing job " + jobId);
        }
        SigningJobRevocationRecord revocation = job.revocationRecord();
        if (revocation != null && revocation.revokedAt() != null) {
            return Optional.of("AWS Signer job " + jobId + " was revoked at " + revocation.revokedAt() + " by "
                    + revocation.revokedBy() + ": " + revocation.reason());
        }
        if (job.status() != SigningStatus.SUCCEEDED) {
            return Optional.of("AWS Signer job " + jobId + " is " + job.statusAsString() + ", not Succeeded");
        }
        String recorded = provenance.get("signer.profileVersionArn");
        if (recorded != null && !recorded.endsWith("/" + job.profileName() + "/" + job.profileVersion())) {
            return Optional.of("AWS Signer job " + jobId + " was made with profile " + job.profileName() + " version "
                    + job.profileVersion() + ", not " + recorded + " as recorded");
        }
        GetSigningProfileResponse profile = signer.getSigningProfile(b -> b.profileName(job.profileName()));
        if (profile.status() == SigningProfileStatus.REVOKED || profile.status() == SigningProfileStatus.CANCELED) {
            String reason = profile.revocationRecord() == null
                    ? ""
                    : " (revoked at " + profile.revocationRecord().revokedAt() + " by "
                            + profile.revocationRecord().revokedBy() + ")";
            return Optional.of("AWS Signer profile " + job.profileName() + " of job " + jobId + " is "
                    + profile.statusAsString() + reason);
        }
        return Optional.empty();
    }
}
