package io.smdrelease.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * What the stack grants for signing (context signingProfile, signingCertificateArn): Gates signs with the profile and
 * pushes the referrers to staging, Gates and Promote verify; each as exact action-on-resource pairs of the role's
 * policy, whatever statements the policy minimization merged them into.
 */
class SigningStackTest {
    private static Template template;
    /** The same stack with the artifact store under a key prefix. */
    private static Template prefixed;

    @BeforeAll
    static void synthesize() {
        template = TestStacks.template(Map.of());
        prefixed = TestStacks.template(Map.of(PipelineConfig.ARTIFACT_STORE_PREFIX, "smd"));
    }

    private static Object profileArn() {
        return signerArn("/signing-profiles/" + TestStacks.SIGNING_PROFILE);
    }

    private static Object jobsArn() {
        return signerArn("/signing-jobs/*");
    }

    private static Object signerArn(String resource) {
        return Map.of(
                "Fn::Join",
                List.of(
                        "",
                        List.of(
                                "arn:",
                                Map.of("Ref", "AWS::Partition"),
                                ":signer:",
                                Map.of("Ref", "AWS::Region"),
                                ":",
                                Map.of("Ref", "AWS::AccountId"),
                                ":" + resource)));
    }

    /** At the bucket's root, whatever the store's prefix (io.smdrelease.aws.signer.SignerPayloadSigner). */
    private static Object signingObjects() {
        return Map.of(
                "Fn::Join",
                List.of("", List.of(Map.of("Fn::GetAtt", List.of(bucketLogicalId(), "Arn")), "/signing/*")));
    }

    private static String grant(String action, Object resource) {
        return TestStacks.grant(action, resource);
    }

    @Test
    void gatesReadsTheProfile_andPromoteTheCertificate() {
        for (List<String> read : List.of(
                List.of("gates", "SIGNING_PROFILE", TestStacks.SIGNING_PROFILE),
                List.of("promote", "SIGNING_CERTIFICATE_ARN", TestStacks.SIGNING_CERTIFICATE_ARN))) {
            template.hasResourceProperties(
                    "AWS::Lambda::Function",
                    Match.objectLike(Map.of(
                            "FunctionName",
                            "smd-release-" + read.get(0),
                            "Environment",
                            Map.of("Variables", Match.objectLike(Map.of(read.get(1), read.get(2)))))));
        }
        for (String function : List.of("generate", "approval", "finalize", "failure", "nightly-plan")) {
            String environment = String.valueOf(template.findResources(
                    "AWS::Lambda::Function",
                    Match.objectLike(Map.of(
                            "Properties", Match.objectLike(Map.of("FunctionName", "smd-release-" + function))))));
            assertTrue(!environment.contains("SIGNING_"), function + ": " + environment);
        }
    }

    @Test
    void gates_startsJobsOnlyWithTheProfile_andVerifiesWithItsCertificateJobsAndProfile() {
        assertEquals(
                Set.of(
                        grant("acm:GetCertificate", TestStacks.SIGNING_CERTIFICATE_ARN),
                        grant("signer:DescribeSigningJob", jobsArn()),
                        grant("signer:GetSigningProfile", profileArn()),
                        grant("signer:StartSigningJob", profileArn())),
                TestStacks.grants(template, "Gates", g -> g.startsWith("signer:") || g.startsWith("acm:")));
    }

    @Test
    void promote_verifiesWithTheCertificateJobsAndProfile_andStartsNoJob() {
        assertEquals(
                Set.of(
                        grant("acm:GetCertificate", TestStacks.SIGNING_CERTIFICATE_ARN),
                        grant("signer:DescribeSigningJob", jobsArn()),
                        grant("signer:GetSigningProfile", profileArn())),
                TestStacks.grants(template, "Promote", g -> g.startsWith("signer:") || g.startsWith("acm:")));
    }

    /**
     * Signer reads the signing input by version and writes the signed object with the caller's access; the handler
     * deletes both by version.
     */
    @Test
    void gates_writesReadsAndDeletesOnlyUnderSigning() {
        Object signing = signingObjects();
        for (var entry : Map.of("", template, "smd/", prefixed).entrySet()) {
            assertEquals(
                    Set.of(
                            grant("s3:DeleteObject", signing),
                            grant("s3:DeleteObjectVersion", signing),
                            grant("s3:GetObject", signing),
                            grant("s3:GetObjectVersion", signing),
                            grant("s3:PutObject", signing)),
                    TestStacks.grants(entry.getValue(), "Gates", g -> g.endsWith(signing.toString())),
                    "store prefix '" + entry.getKey() + "'");
            assertEquals(
                    Set.of(),
                    TestStacks.grants(
                            entry.getValue(),
                            "Gates",
                            g -> (g.startsWith("s3:DeleteObject") || g.startsWith("s3:GetObjectVersion "))
                                    && !g.endsWith(signing.toString())),
                    "deletes and reads versions nowhere else");
        }
    }

    /** The SBOM and the signature are pushed as referrers into staging: blobs and a manifest, after a registry login. */
    @Test
    void gates_pushesReferrersOnlyToStaging() {
        Object staging = Map.of("Fn::GetAtt", List.of(stagingLogicalId(), "Arn"));
        Set<String> ecr = TestStacks.grants(template, "Gates", g -> g.startsWith("ecr:"));
        Set<String> expected = new TreeSet<>();
        ReleaseFunctions.ECR_PUSH_ACTIONS.forEach(action -> expected.add(grant(action, staging)));
        expected.add(grant("ecr:DescribeImages", staging));
        expected.add(grant("ecr:GetAuthorizationToken", "*"));
        assertEquals(expected, ecr);
    }

    private static String bucketLogicalId() {
        return only("AWS::S3::Bucket", "^ArtifactStorageBucket[0-9A-F]{8}$");
    }

    private static String stagingLogicalId() {
        return only("AWS::ECR::Repository", "^ImageRepositoriesStaging.*");
    }

    private static String only(String type, String idPattern) {
        return TestStacks.only(template, type, idPattern);
    }
}
