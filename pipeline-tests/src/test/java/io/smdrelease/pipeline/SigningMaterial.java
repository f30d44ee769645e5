package io.smdrelease.pipeline;

import io.smdrelease.aws.signer.SigningProfile;
import io.smdrelease.aws.signer.SigningSetup;
import io.smdrelease.cdk.PipelineConfig;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.signer.SignerClient;

/**
 * The signing profile a deployment needs, made in the emulator the way an operator makes it before {@code cdk deploy}:
 * a CA and a P-256 code-signing certificate issued by it (openssl, in a directory of the test), imported into ACM with
 * the Signer profile on it by {@link SigningSetup}, what {@code smd-release signing-setup} runs.
 *
 * @param ca the CA's certificate: what a verifier (notation, Promote's chain check) trusts
 */
record SigningMaterial(String profileName, String certificateArn, Path ca) {
    static final String PROFILE_NAME = "smd_release_pipeline_tests";

    static SigningMaterial create(MiniStack ministack, Path dir) throws IOException {
        Files.createDirectories(dir);
        TestCertificates ca = TestCertificates.rootCa(dir, "smd-release test CA");
        TestCertificates.Issued leaf = ca.leaf("smd-release signer", TestCertificates.P256, true, 30);
        try (SignerClient signer = SignerClient.builder()
                        .endpointOverride(ministack.endpoint())
                        .region(ministack.region())
                        .credentialsProvider(MiniStack.credentials())
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .build();
                AcmClient acm = AcmClient.builder()
                        .endpointOverride(ministack.endpoint())
                        .region(ministack.region())
                        .credentialsProvider(MiniStack.credentials())
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .build()) {
            SigningSetup setup = new SigningSetup(signer, acm);
            String arn = setup.importCertificate(read(leaf.certificate()), read(leaf.key()), read(leaf.root()));
            SigningProfile profile = setup.putProfile(PROFILE_NAME, arn);
            return new SigningMaterial(profile.profileName(), profile.certificateArn(), leaf.root());
        }
    }

    /** The deployment's context keys. */
    Map<String, String> context() {
        return Map.of(
                PipelineConfig.SIGNING_PROFILE, profileName, PipelineConfig.SIGNING_CERTIFICATE_ARN, certificateArn);
    }

    private static String read(Path pem) throws IOException {
        return Files.readString(pem, StandardCharsets.US_ASCII);
    }
}
