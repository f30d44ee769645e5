package io.smdrelease.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * The AWS Signer profile that signs each released image (platform AWSIoTDeviceManagement-SHA256-ECDSA) and the ACM
 * certificate it signs with (context {@code signingProfile} and {@code signingCertificateArn}). CloudFormation cannot
 * create a profile on that platform, so the operator does, once, with {@code smd-release signing-setup}; the stack only
 * grants its use: Gates signs, Gates and Promote verify.
 */
record SigningProfile(String name, String certificateArn) {
    /**
     * At the bucket's root, whatever the store's prefix: the signing inputs and the objects AWS Signer writes back
     * (io.smdrelease.aws.signer.SignerPayloadSigner).
     */
    static final String OBJECTS = "signing/";

    /** What Gates reads: the profile it signs with (the profile names its certificate). */
    Map<String, String> signerEnvironment() {
        return Map.of(ReleaseFunctions.SIGNING_PROFILE, name);
    }

    /** What Promote reads: the certificate a signature must be made with. */
    Map<String, String> verifierEnvironment() {
        return Map.of(ReleaseFunctions.SIGNING_CERTIFICATE_ARN, certificateArn);
    }

    /** {@code arn:PARTITION:signer:REGION:ACCOUNT:/signing-profiles/NAME}. */
    String profileArn(Stack stack) {
        return signerArn(stack, "/signing-profiles", name);
    }

    /** Every signing job of the account: a job's ID is only known once StartSigningJob has made it. */
    String jobsArn(Stack stack) {
        return signerArn(stack, "/signing-jobs", "*");
    }

    /**
     * Verifying a signature the profile made: the certificate as the trust anchor, the job and the profile for
     * revocation.
     */
    void grantVerify(IRole role) {
        Stack stack = Stack.of(role);
        allow(role, List.of("acm:GetCertificate"), certificateArn);
        allow(role, List.of("signer:GetSigningProfile"), profileArn(stack));
        allow(role, List.of("signer:DescribeSigningJob"), jobsArn(stack));
        Nag.acknowledgeWildcardResource(
                role,
                jobsArn(stack),
                "DescribeSigningJob is allowed on signing jobs only (signer's resource type signing-job), whose IDs"
                        + " StartSigningJob makes at run time; the job names its profile, which the handler checks.");
    }

    /**
     * Signing with the profile (StartSigningJob), and verifying what it signed. The signing input goes under the
     * bucket's {@value #OBJECTS}, where Signer, with the caller's access, reads it by version and writes the signed
     * object; the signer deletes both by version.
     */
    void grantSign(IRole role, IBucket bucket) {
        allow(role, List.of("signer:StartSigningJob"), profileArn(Stack.of(role)));
        grantVerify(role);
        String objects = bucket.arnForObjects(OBJECTS + "*");
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of(
                        "s3:DeleteObject",
                        "s3:DeleteObjectVersion",
                        "s3:GetObject",
                        "s3:GetObjectVersion",
                        "s3:PutObject"))
                .resources(List.of(objects))
                .build());
        Nag.acknowledgeWildcardResource(
                role,
                objects,
                "Signing inputs and the objects Signer writes are named by signing request and job, known at run time.");
    }

    private static void allow(IRole role, List<String> actions, String resource) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(actions)
                .resources(List.of(resource))
                .build());
    }

    private static String signerArn(Stack stack, String resource, String resourceName) {
        return stack.formatArn(ArnComponents.builder()
                .service("signer")
                .resource(resource)
                .resourceName(resourceName)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
    }
}
