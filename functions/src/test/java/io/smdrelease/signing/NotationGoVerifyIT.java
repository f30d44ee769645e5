package io.smdrelease.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.testsupport.TestCertificates;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The envelopes verify with the Notary Project's own verifier, notation-go (what {@code notation verify} runs):
 * {@code src/test/go/notation-verify} is built once and given each envelope, the image descriptor and a CA, which it
 * puts in a notation trust store under a trust policy of level {@code strict} (revocation included: the test
 * certificates name no OCSP or CRL server, which notation-go counts as "non-revokable", not as a failure).
 */
class NotationGoVerifyIT {
    static final Descriptor IMAGE =
            new Descriptor("application/vnd.oci.image.manifest.v1+json", "sha256:" + "7a".repeat(32), 1234);

    private static final Path REPO = Path.of(System.getProperty("repo.dir", ".."));
    private static final Path SOURCE = REPO.resolve("functions/src/test/go/notation-verify");
    private static final Path BINARY = REPO.resolve("functions/target/notation-verify/notation-verify");

    @TempDir
    Path dir;

    @BeforeAll
    static void buildTheVerifier() throws Exception {
        Path go = goCommand()
                .orElseThrow(() -> new AssertionError("NotationGoVerifyIT needs Go (1.23 or later) to build"
                        + " notation-go's verifier: install it from https://go.dev/dl/ (unpack to /usr/local/go) or"
                        + " put `go` on the PATH"));
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(go.toString(), "build", "-o", BINARY.toString(), ".")
                .directory(SOURCE.toFile())
                .redirectErrorStream(true);
        builder.environment().put("GOFLAGS", "-mod=mod -buildvcs=false");
        Process build = builder.start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!build.waitFor(15, TimeUnit.MINUTES) || build.exitValue() != 0) {
            throw new AssertionError("go build of " + SOURCE + " failed (the first build downloads notation-go"
                    + " from the Go module proxy):\n" + output);
        }
        System.out.printf("built notation-verify in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void notationGoVerifiesTheEnvelopes_es256AndEs384() throws Exception {
        TestCertificates ca = TestCertificates.rootCa(dir, "Notation Root");
        for (String curve : new String[] {TestCertificates.P256, TestCertificates.P384}) {
            TestCertificates.Issued leaf = ca.leaf("signer-" + curve, curve, true, 30);
            Path envelope = envelope(leaf);

            Result result = verify(envelope, IMAGE, ca.certificate());

            String alg = curve.equals(TestCertificates.P256) ? "ES256" : "ES384";
            assertEquals(0, result.exit(), result.output());
            assertTrue(result.output().contains("level strict"), result.output());
            assertTrue(result.output().contains("revocation (enforce): ok"), result.output());
            assertTrue(
                    result.output().contains("notary.x509 " + alg + " signed ")
                            && result.output().contains(" by CN=signer-" + curve),
                    result.output());
        }
    }

    @Test
    void notationGoRefusesTheEnvelopeForAnotherDigest() throws Exception {
        TestCertificates ca = TestCertificates.rootCa(dir, "Notation Root 2");
        Path envelope = envelope(ca.leaf("signer", TestCertificates.P256, true, 30));
        Descriptor other = new Descriptor(IMAGE.mediaType(), "sha256:" + "7b".repeat(32), IMAGE.size());

        Result result = verify(envelope, other, ca.certificate());

        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("content descriptor mismatch"), result.output());
    }

    @Test
    void notationGoRefusesASignerOfAnUntrustedCa() throws Exception {
        TestCertificates signingCa = TestCertificates.rootCa(dir, "Signing Root");
        TestCertificates trustedCa = TestCertificates.rootCa(dir, "Trusted Root");
        Path envelope = envelope(signingCa.leaf("signer", TestCertificates.P256, true, 30));

        Result result = verify(envelope, IMAGE, trustedCa.certificate());

        assertEquals(1, result.exit(), result.output());
        assertTrue(result.output().contains("authenticity (enforce): FAILED"), result.output());
    }

    /**
     * The Notary Project requires {@code x5c} to end with a self-signed root (notation-core-go's
     * {@code ValidateCodeSigningCertChain}), even when the trust store holds that root. {@code x5c} is unprotected:
     * dropping the root keeps the signature valid, so the chain alone is what is refused.
     */
    @Test
    void notationGoRefusesAnX5cChainThatStopsShortOfItsRoot() throws Exception {
        TestCertificates ca = TestCertificates.rootCa(dir, "Notation Root 3");
        Path envelope = envelope(ca.leaf("signer", TestCertificates.P256, true, 30));
        ObjectNode json = (ObjectNode) JwsEnvelope.JSON.readTree(envelope.toFile());
        ((ArrayNode) json.path("header").path("x5c")).remove(1);
        Files.write(envelope, JwsEnvelope.JSON.writeValueAsBytes(json));

        Result result = verify(envelope, IMAGE, ca.certificate());

        assertEquals(1, result.exit(), result.output());
        assertTrue(
                result.output()
                        .contains("integrity (enforce): FAILED: certificate-chain is invalid, invalid"
                                + " self-signed certificate. subject: \"CN=signer\""),
                result.output());
    }

    private Path envelope(TestCertificates.Issued leaf) throws IOException {
        byte[] envelope = NotationSignatures.sign(IMAGE, leaf.signer(), Instant.now())
                .referrer()
                .layers()
                .getFirst()
                .content();
        return Files.write(Files.createTempFile(dir, "signature", ".jws.json"), envelope);
    }

    private record Result(int exit, String output) {}

    private static Result verify(Path envelope, Descriptor image, Path caPem) throws Exception {
        Process p = new ProcessBuilder(List.of(
                        BINARY.toString(),
                        "-envelope",
                        envelope.toString(),
                        "-media-type",
                        image.mediaType(),
                        "-digest",
                        image.digest(),
                        "-size",
                        Long.toString(image.size()),
                        "-ca",
                        caPem.toString(),
                        "-reference",
                        "registry.example/smd-release/image@" + image.digest()))
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("notation-verify did not finish in 60 s:\n" + output);
        }
        System.out.println("notation-verify " + image.digest() + " trusting " + caPem.getFileName() + ":\n" + output);
        return new Result(p.exitValue(), output);
    }

    /** {@code go} on the PATH, else where the official archive unpacks it. */
    private static Optional<Path> goCommand() {
        List<Path> candidates = new ArrayList<>();
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                candidates.add(Path.of(entry, "go"));
            }
        }
        candidates.add(Path.of("/usr/local/go/bin/go"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }
}
