package io.smdrelease.cli;

import io.smdrelease.aws.signer.SignerClients;
import io.smdrelease.aws.signer.SignerTrust;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.signing.LocalKeySigner;
import io.smdrelease.signing.LocalTrust;
import io.smdrelease.signing.PayloadSigner;
import io.smdrelease.signing.Pem;
import io.smdrelease.signing.SignatureTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How a command signs the candidates it promotes and what it trusts a candidate's signature to be made with: a local
 * key and certificate on a laptop, or the pipeline's ACM certificate (AWS Signer's signatures, revocation checked).
 */
final class SigningOptions {
    @Option(
            names = "--signing-key",
            paramLabel = "KEY.pem",
            description = "PKCS#8 PEM EC private key (P-256 or P-384) that signs the gated candidates.")
    Path signingKey;

    @Option(
            names = "--signing-certificate",
            paramLabel = "CHAIN.pem",
            description = "PEM certificate of --signing-key (code signing), then its issuers.")
    Path signingCertificate;

    @Option(
            names = "--trust-certificate",
            paramLabel = "CA.pem",
            description = "PEM certificate a candidate's signature must chain to (repeatable). Default with"
                    + " --signing-certificate: the last certificate of that chain.")
    List<Path> trustCertificates = new ArrayList<>();

    @Option(
            names = "--signing-certificate-arn",
            paramLabel = "ARN",
            description = "Trust the pipeline's signatures: the ACM certificate of its AWS Signer profile (the stack's"
                    + " signingCertificateArn); the Signer job and profile are checked for revocation.")
    String signingCertificateArn;

    /** The signer of the candidates; {@code why} says what needs it, for the message when it is missing. */
    PayloadSigner signer(String why) {
        if (signingKey == null || signingCertificate == null) {
            throw new InvalidInputException(why + ", and what is promoted is signed first: give --signing-key KEY.pem"
                    + " and --signing-certificate CHAIN.pem (a P-256 code-signing certificate), or release through the"
                    + " pipeline, which signs with AWS Signer");
        }
        return LocalKeySigner.fromPemFiles(
                readable("--signing-key", signingKey), readable("--signing-certificate", signingCertificate));
    }

    /** What a candidate's signature must chain to before it is promoted. */
    SignatureTrust trust(String why) {
        if (signingCertificateArn != null && !trustCertificates.isEmpty()) {
            throw new InvalidInputException(
                    "--signing-certificate-arn and --trust-certificate both name what to trust:" + " give one of them");
        }
        if (signingCertificateArn != null) {
            return new SignerTrust(SignerClients.signer(), SignerClients.acm(), signingCertificateArn);
        }
        if (!trustCertificates.isEmpty()) {
            return LocalTrust.fromPemFiles(trustCertificates.stream()
                    .map(p -> readable("--trust-certificate", p))
                    .toList());
        }
        if (signingCertificate != null) {
            List<X509Certificate> chain = Pem.certificates(readable("--signing-certificate", signingCertificate));
            return new LocalTrust(List.of(chain.get(chain.size() - 1)));
        }
        throw new InvalidInputException(why + ", and a candidate's signature is verified first: give"
                + " --signing-certificate-arn (the pipeline's signingCertificateArn) or --trust-certificate CA.pem");
    }

    private static Path readable(String flag, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidInputException(flag + " " + file + " is not a readable file: give the PEM file's path");
        }
        return file;
    }
}
