package io.smdrelease.aws.signer;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.signing.LocalKeySigner;
import io.smdrelease.signing.LocalTrust;
import io.smdrelease.signing.NotationSignatures;
import io.smdrelease.signing.Pem;
import io.smdrelease.signing.SignatureRejectedException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.signer.SignerClient;
import software.amazon.awssdk.services.signer.model.GetSigningProfileResponse;
import software.amazon.awssdk.services.signer.model.PutSigningProfileResponse;
import software.amazon.awssdk.services.signer.model.ResourceNotFoundException;

/**
 * Makes the AWS Signer profile that signs images: imports the signing certificate and its private key into ACM (or
 * takes a certificate ACM holds) and puts a profile on {@value #PLATFORM} signing with it. Running it again with the
 * same name and certificate changes nothing.
 */
public final class SigningSetup {
    /** The Signer platform that signs arbitrary bytes with ECDSA SHA-256 and a certificate of the caller's. */
    public static final String PLATFORM = "AWSIoTDeviceManagement-SHA256-ECDSA";

    private static final Pattern PROFILE_NAME = Pattern.compile("[a-zA-Z0-9_]{2,64}");

    private final SignerClient signer;
    private final AcmClient acm;

    public SigningSetup(SignerClient signer, AcmClient acm) {
        this.signer = signer;
        this.acm = acm;
    }

    /**
     * Checks a Signer profile name.
     *
     * @param what how the caller names the value (a flag, a variable), for the message
     * @throws InvalidInputException when it is not 2 to 64 letters, digits or underscores
     */
    public static String requireProfileName(String name, String what) {
        if (name == null || !PROFILE_NAME.matcher(name).matches()) {
            throw new InvalidInputException(what + " '" + name + "' is not an AWS Signer profile name: use 2 to 64"
                    + " letters, digits and underscores (no hyphens), e.g. smd_release_images");
        }
        return name;
    }

    /**
     * Imports a code-signing certificate with its private key (and the issuers' chain) into ACM and returns its ARN.
     * They are checked first: a P-256 EC key that belongs to the certificate, with {@code codeSigning} usage, so that
     * a profile made from it signs what the verifier accepts.
     *
     * @param chainPem the issuers, the root last; {@code null} for none
     */
    public String importCertificate(String certificatePem, String privateKeyPem, String chainPem) {
        List<X509Certificate> certificate = Pem.certificates(certificatePem, "the certificate");
        PrivateKey key = Pem.ecPrivateKey(privateKeyPem, "the private key");
        List<X509Certificate> chain = new ArrayList<>(certificate.subList(0, 1));
        if (chainPem != null) {
            chain.addAll(Pem.certificates(chainPem, "the certificate chain"));
        }
        requireUsableForSigning(key, chain);
        return acm.importCertificate(b -> {
                    b.certificate(SdkBytes.fromString(Pem.encode(chain.getFirst()), StandardCharsets.US_ASCII))
                            .privateKey(SdkBytes.fromString(privateKeyPem, StandardCharsets.US_ASCII));
                    if (chainPem != null) {
                        b.certificateChain(SdkBytes.fromString(chainPem, StandardCharsets.US_ASCII));
                    }
                })
                .certificateArn();
    }

    /**
     * Puts profile {@code profileName} signing with {@code certificateArn}, or returns it when it exists with that
     * certificate.
     *
     * @throws InvalidInputException when the name is malformed or taken by a profile with another certificate, on
     *                               another platform or no longer active (Signer never reuses a name)
     */
    public SigningProfile putProfile(String profileName, String certificateArn) {
        requireProfileName(profileName, "profile name");
        try {
            GetSigningProfileResponse existing = signer.getSigningProfile(b -> b.profileName(profileName));
            String existingCertificate = existing.signingMaterial() == null
                    ? null
                    : existing.signingMaterial().certificateArn();
            if (PLATFORM.equals(existing.platformId())
                    && certificateArn.equals(existingCertificate)
                    && "Active".equals(existing.statusAsString())) {
                return new SigningProfile(profileName, existing.profileVersionArn(), certificateArn);
            }
            throw new InvalidInputException("AWS Signer profile " + profileName + " exists ("
                    + existing.statusAsString()
                    + ", platform " + existing.platformId() + ", certificate " + existingCertificate + "): a name is"
                    + " never reused, even after cancelling; choose another profile name");
        } catch (ResourceNotFoundException e) {
            // a new profile
        }
        PutSigningProfileResponse put = signer.putSigningProfile(b ->
                b.profileName(profileName).platformId(PLATFORM).signingMaterial(m -> m.certificateArn(certificateArn)));
        return new SigningProfile(profileName, put.profileVersionArn(), certificateArn);
    }

    /** A signature made with the key now verifies with the chain: the checks the verifier will make, made once here. */
    private static void requireUsableForSigning(PrivateKey key, List<X509Certificate> chain) {
        LocalKeySigner local;
        try {
            local = new LocalKeySigner(key, chain);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage(), e);
        }
        if (!"ES256".equals(local.jwsAlgorithm())) {
            throw new InvalidInputException("the certificate has a P-384 key: AWS Signer's " + PLATFORM + " signs with"
                    + " SHA-256, which JWS pairs with P-256 only; issue a P-256 code-signing certificate");
        }
        X509Certificate leaf = chain.getFirst();
        Descriptor probe = new Descriptor("application/vnd.oci.empty.v1+json", "sha256:" + "0".repeat(64), 2);
        Instant now = Instant.now();
        List<X509Certificate> anchors = List.of(chain.getLast());
        try {
            NotationSignatures.verify(
                    NotationSignatures.sign(probe, local, now).referrer(),
                    probe,
                    new LocalTrust(anchors),
                    Map.of(),
                    now);
        } catch (SignatureRejectedException e) {
            throw new InvalidInputException(
                    "the certificate " + leaf.getSubjectX500Principal() + " cannot sign" + " images: "
                            + e.getMessage().replaceFirst("^the signature of sha256:0+ ", "a signature "),
                    e);
        }
    }
}
