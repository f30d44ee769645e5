package io.smdrelease.cli;

import io.smdrelease.aws.signer.SigningProfile;
import io.smdrelease.aws.signer.SigningSetup;
import io.smdrelease.error.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code signing-setup}: the AWS Signer profile that signs the pipeline's images, with a certificate ACM holds or one
 * imported into ACM here. Prints what the pipeline is configured with.
 */
@Command(
        name = "signing-setup",
        description = "Create the AWS Signer profile that signs released images (platform " + SigningSetup.PLATFORM
                + "), signing with an ACM certificate (--certificate-arn) or with a P-256 code-signing certificate"
                + " and key imported into ACM (--certificate, --private-key). Prints {profileName, profileVersionArn,"
                + " certificateArn} as JSON. Running it again with the same name and certificate changes nothing.")
final class SigningSetupCommand extends BaseCommand {
    @Mixin
    AwsOptions awsOptions;

    @Option(
            names = "--profile-name",
            required = true,
            paramLabel = "NAME",
            description = "The Signer profile's name: 2 to 64 letters, digits and underscores.")
    String profileName;

    @Option(
            names = "--certificate-arn",
            paramLabel = "ARN",
            description = "An ACM certificate whose private key ACM holds (imported), to sign with.")
    String certificateArn;

    @Option(
            names = "--certificate",
            paramLabel = "PEM",
            description = "A P-256 code-signing certificate (PEM file) to import into ACM.")
    Path certificate;

    @Option(
            names = "--private-key",
            paramLabel = "PEM",
            description = "Its private key, unencrypted PKCS#8 PEM (openssl genpkey writes it).")
    Path privateKey;

    @Option(
            names = "--certificate-chain",
            paramLabel = "PEM",
            description = "Its issuers (PEM file, the root last), imported with it.")
    Path certificateChain;

    @Override
    protected ExitCode execute() throws Exception {
        SigningSetup.requireProfileName(profileName, "--profile-name");
        boolean importing = certificate != null || privateKey != null || certificateChain != null;
        if (certificateArn != null && importing) {
            throw new InvalidInputException(
                    "give either --certificate-arn or --certificate and --private-key, not" + " both");
        }
        if (certificateArn == null && (certificate == null || privateKey == null)) {
            throw new InvalidInputException("no certificate to sign with: give --certificate-arn ARN, or --certificate"
                    + " PEM and --private-key PEM (with --certificate-chain PEM for its issuers)");
        }
        awsOptions.apply();
        try (AwsClients aws = new AwsClients()) {
            SigningSetup setup = new SigningSetup(aws.signer(), aws.acm());
            String arn = certificateArn != null
                    ? certificateArn
                    : setup.importCertificate(
                            read(certificate, "--certificate"),
                            read(privateKey, "--private-key"),
                            certificateChain == null ? null : read(certificateChain, "--certificate-chain"));
            SigningProfile profile = setup.putProfile(profileName, arn);
            Map<String, String> json = new LinkedHashMap<>();
            json.put("profileName", profile.profileName());
            json.put("profileVersionArn", profile.profileVersionArn());
            json.put("certificateArn", profile.certificateArn());
            out().println(JsonOutput.pretty(json));
        }
        return ExitCode.OK;
    }

    private static String read(Path file, String flag) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new InvalidInputException(flag + " " + file + " cannot be read: " + e.getMessage(), e);
        }
    }
}
