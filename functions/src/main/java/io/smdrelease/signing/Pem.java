package io.smdrelease.signing;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.store.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM certificates and PKCS#8 EC private keys (what openssl writes and ACM takes and gives), and thumbprints. */
public final class Pem {
    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private Pem() {}

    /** The certificates of a PEM file, in file order. */
    public static List<X509Certificate> certificates(Path file) {
        return certificates(read(file), file.toString());
    }

    /**
     * The certificates of PEM text, in order.
     *
     * @param source where the text came from, for the message
     * @throws InvalidInputException when it holds none or one does not parse
     */
    public static List<X509Certificate> certificates(String pem, String source) {
        try {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream()
                    .map(X509Certificate.class::cast)
                    .toList();
            if (certificates.isEmpty()) {
                throw new InvalidInputException(
                        source + " holds no certificate: expected PEM blocks" + " '-----BEGIN CERTIFICATE-----'");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new InvalidInputException(source + " is not a PEM certificate (chain): " + e.getMessage(), e);
        }
    }

    /** The PKCS#8 EC private key of a PEM file. */
    public static PrivateKey ecPrivateKey(Path file) {
        return ecPrivateKey(read(file), file.toString());
    }

    /**
     * The EC private key of a PEM {@code PRIVATE KEY} (PKCS#8, unencrypted) block.
     *
     * @throws InvalidInputException for another format, with the openssl command that converts it
     */
    public static PrivateKey ecPrivateKey(String pem, String source) {
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            String hint = pem.contains("BEGIN EC PRIVATE KEY")
                    ? " (it is a SEC1 'EC PRIVATE KEY': convert it with openssl pkcs8 -topk8 -nocrypt -in KEY -out"
                            + " KEY.pk8.pem)"
                    : pem.contains("BEGIN ENCRYPTED PRIVATE KEY")
                            ? " (it is encrypted: decrypt it with openssl pkcs8 -in KEY -out KEY.pk8.pem)"
                            : "";
            throw new InvalidInputException(
                    source + " is not an unencrypted PKCS#8 PEM private key ('-----BEGIN PRIVATE KEY-----')" + hint);
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new InvalidInputException(
                    source + " is not an EC private key (signatures need ECDSA P-256 or P-384): " + e.getMessage(), e);
        }
    }

    /** The certificate as a PEM block. */
    public static String encode(X509Certificate certificate) {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der(certificate))
                + "\n-----END CERTIFICATE-----\n";
    }

    /** The SHA-256 of the certificate's DER encoding, lowercase hex (Notation's thumbprint). */
    public static String sha256Thumbprint(X509Certificate certificate) {
        return Sha256.hex(der(certificate));
    }

    static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
