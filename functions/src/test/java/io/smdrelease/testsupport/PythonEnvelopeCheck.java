package io.smdrelease.testsupport;

import io.smdrelease.registry.Descriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks a Notation JWS envelope with Python's {@code cryptography} (installed with MiniStack in the project's
 * {@code .venv}), independently of the Java code that made it: the ECDSA signature over {@code protected.payload}
 * with the key of the first {@code x5c} certificate, that certificate's signature by the root, and the payload's
 * target artifact.
 */
public final class PythonEnvelopeCheck {
    private static final String SCRIPT = """
            import base64, json, sys
            from cryptography import x509
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import ec, utils

            envelope = json.load(open(sys.argv[1]))
            root = x509.load_pem_x509_certificate(open(sys.argv[2], "rb").read())
            media_type, digest, size = sys.argv[3], sys.argv[4], int(sys.argv[5])

            def b64url(s):
                return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))

            header = json.loads(b64url(envelope["protected"]))
            payload = json.loads(b64url(envelope["payload"]))
            leaf = x509.load_der_x509_certificate(base64.b64decode(envelope["header"]["x5c"][0]))
            hash_alg = {"ES256": hashes.SHA256(), "ES384": hashes.SHA384()}[header["alg"]]
            raw = b64url(envelope["signature"])
            half = len(raw) // 2
            der = utils.encode_dss_signature(int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big"))
            signing_input = (envelope["protected"] + "." + envelope["payload"]).encode("ascii")
            leaf.public_key().verify(der, signing_input, ec.ECDSA(hash_alg))
            root.public_key().verify(leaf.signature, leaf.tbs_certificate_bytes, ec.ECDSA(leaf.signature_hash_algorithm))
            assert header["crit"] == ["io.cncf.notary.signingScheme"], header
            assert header["io.cncf.notary.signingScheme"] == "notary.x509", header
            assert header["cty"] == "application/vnd.cncf.notary.payload.v1+json", header
            target = payload["targetArtifact"]
            assert (target["mediaType"], target["digest"], target["size"]) == (media_type, digest, size), target
            print("verified", header["alg"], leaf.subject.rfc4514_string())
            """;

    private PythonEnvelopeCheck() {}

    /** Runs the check; returns its output ({@code verified ES256 CN=…}) or fails with it. */
    public static String check(Path work, byte[] envelope, Path rootPem, Descriptor image)
            throws IOException, InterruptedException {
        Path python = MiniStack.ensureInstalled();
        Path script = Files.writeString(work.resolve("check_envelope.py"), SCRIPT);
        Path envelopeFile = Files.write(work.resolve("envelope.json"), envelope);
        Process p = new ProcessBuilder(List.of(
                        python.toString(),
                        script.toString(),
                        envelopeFile.toString(),
                        rootPem.toString(),
                        image.mediaType(),
                        image.digest(),
                        Long.toString(image.size())))
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("Python's cryptography refused the envelope:\n" + output);
        }
        return output.strip();
    }
}
