package io.smdrelease.aws.signer;

/**
 * An AWS Signer signing profile for image signatures.
 *
 * @param profileName       its name ({@code SIGNING_PROFILE} of the functions)
 * @param profileVersionArn the ARN of its current version
 * @param certificateArn    the ACM certificate it signs with ({@code SIGNING_CERTIFICATE_ARN}, the trust anchor)
 */
public record SigningProfile(String profileName, String profileVersionArn, String certificateArn) {}
