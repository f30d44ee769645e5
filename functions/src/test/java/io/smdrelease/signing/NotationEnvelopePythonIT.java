package io.smdrelease.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smdrelease.registry.Descriptor;
import io.smdrelease.testsupport.PythonEnvelopeCheck;
import io.smdrelease.testsupport.TestCertificates;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The envelopes verify with another implementation than their own: Python's cryptography. */
class NotationEnvelopePythonIT {
    static final Descriptor IMAGE =
            new Descriptor("application/vnd.oci.image.manifest.v1+json", "sha256:" + "5e".repeat(32), 4321);

    @TempDir
    Path dir;

    @Test
    void pythonVerifiesTheEnvelopes_es256AndEs384() throws Exception {
        TestCertificates ca = TestCertificates.rootCa(dir, "Python Root");
        for (String curve : new String[] {TestCertificates.P256, TestCertificates.P384}) {
            TestCertificates.Issued leaf = ca.leaf("signer-" + curve, curve, true, 30);
            byte[] envelope = NotationSignatures.sign(IMAGE, leaf.signer(), Instant.now())
                    .referrer()
                    .layers()
                    .getFirst()
                    .content();

            String alg = curve.equals(TestCertificates.P256) ? "ES256" : "ES384";
            assertEquals(
                    "verified " + alg + " CN=signer-" + curve,
                    PythonEnvelopeCheck.check(dir, envelope, leaf.root(), IMAGE));
        }
    }

    @Test
    void pythonRefusesAnEnvelopeForAnotherImage() throws Exception {
        TestCertificates.Issued leaf =
                TestCertificates.rootCa(dir, "Python Root 2").leaf("signer", TestCertificates.P256, true, 30);
        byte[] envelope = NotationSignatures.sign(IMAGE, leaf.signer(), Instant.now())
                .referrer()
                .layers()
                .getFirst()
                .content();
        Descriptor other = new Descriptor(IMAGE.mediaType(), IMAGE.digest(), 1);
        assertThrows(AssertionError.class, () -> PythonEnvelopeCheck.check(dir, envelope, leaf.root(), other));
    }
}
