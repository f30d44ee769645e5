package io.smdrelease.testsupport;

import io.smdrelease.signing.LocalKeySigner;
import io.smdrelease.signing.LocalTrust;
import io.smdrelease.signing.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Certificates for signature tests, made by {@code openssl} in a directory: a self-signed root CA and leaves it
 * issues (EC P-256 or P-384, or RSA), with the usages of a code-signing certificate or without them.
 *
 * <pre>{@code
 * TestCertificates ca = TestCertificates.rootCa(dir, "Test Root");
 * TestCertificates.Issued leaf = ca.leaf("signer", TestCertificates.P256, true, 30);
 * }</pre>
 */
public final class TestCertificates {
    public static final String P256 = "P-256";
    public static final String P384 = "P-384";
    public static final String RSA = "RSA";

    private static final AtomicInteger SERIAL = new AtomicInteger(1000);

    private final Path dir;
    private final Path key;
    private final Path certificate;

    /** A leaf's files: its PKCS#8 key, its certificate, and the chain leaf then root (what x5c carries). */
    public record Issued(Path key, Path certificate, Path chain, Path root) {
        public LocalKeySigner signer() {
            return LocalKeySigner.fromPemFiles(key, chain);
        }
    }

    private TestCertificates(Path dir, Path key, Path certificate) {
        this.dir = dir;
        this.key = key;
        this.certificate = certificate;
    }

    /** A new P-256 root CA {@code CN=<name>} valid for a year, in {@code dir}. */
    public static TestCertificates rootCa(Path dir, String name) {
        String file = fileName(name);
        Path key = dir.resolve(file + ".key.pem");
        Path cert = dir.resolve(file + ".pem");
        Path config = write(
                dir.resolve(file + ".cnf"),
                "[req]\ndistinguished_name=dn\n[dn]\n[ca]\nbasicConstraints=critical,CA:TRUE\n"
                        + "keyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n");
        generateKey(P256, key);
        openssl(
                "req",
                "-x509",
                "-new",
                "-key",
                key.toString(),
                "-subj",
                "/CN=" + name,
                "-days",
                "365",
                "-config",
                config.toString(),
                "-extensions",
                "ca",
                "-set_serial",
                serial(),
                "-out",
                cert.toString());
        return new TestCertificates(dir, key, cert);
    }

    public Path certificate() {
        return certificate;
    }

    public LocalTrust trust() {
        return new LocalTrust(Pem.certificates(certificate));
    }

    /**
     * A leaf {@code CN=<name>} issued by this CA, valid from now for {@code days} days.
     *
     * @param keyType     {@link #P256}, {@link #P384} or {@link #RSA}
     * @param codeSigning with {@code extendedKeyUsage=codeSigning} (else {@code serverAuth})
     */
    public Issued leaf(String name, String keyType, boolean codeSigning, int days) {
        String file = fileName(name);
        Path leafKey = dir.resolve(file + ".key.pem");
        Path csr = dir.resolve(file + ".csr");
        Path cert = dir.resolve(file + ".pem");
        Path config = write(
                dir.resolve(file + ".cnf"),
                "[leaf]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                        + "extendedKeyUsage=" + (codeSigning ? "codeSigning" : "serverAuth") + "\n"
                        + "authorityKeyIdentifier=keyid\n");
        generateKey(keyType, leafKey);
        openssl("req", "-new", "-key", leafKey.toString(), "-subj", "/CN=" + name, "-out", csr.toString());
        openssl(
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                certificate.toString(),
                "-CAkey",
                key.toString(),
                "-set_serial",
                serial(),
                "-days",
                Integer.toString(days),
                "-extfile",
                config.toString(),
                "-extensions",
                "leaf",
                "-out",
                cert.toString());
        Path chain = dir.resolve(file + ".chain.pem");
        try {
            Files.writeString(chain, Files.readString(cert) + Files.readString(certificate));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Issued(leafKey, cert, chain, certificate);
    }

    private static void generateKey(String keyType, Path out) {
        List<String> args = new ArrayList<>(List.of("genpkey", "-out", out.toString()));
        switch (keyType) {
            case P256, P384 -> args.addAll(List.of("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + keyType));
            case RSA -> args.addAll(List.of("-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"));
            default -> throw new IllegalArgumentException("unknown key type " + keyType);
        }
        openssl(args.toArray(String[]::new));
    }

    private static void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String serial() {
        return Integer.toString(SERIAL.incrementAndGet());
    }
}
