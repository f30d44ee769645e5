package io.smdrelease.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.Referrer;
import io.smdrelease.testsupport.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notation signatures made with local openssl keys: the round trip, and each way a signature must be refused. */
class NotationSignaturesTest {
    static final Descriptor IMAGE =
            new Descriptor("application/vnd.oci.image.index.v1+json", "sha256:" + "ab".repeat(32), 1234);
    /** Later than the certificates' start (those made by a test too): openssl dates them from the second made. */
    static final Instant NOW = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestCertificates ca;
    static TestCertificates.Issued p256;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.rootCa(dir, "Release Root");
        p256 = ca.leaf("release-signer", TestCertificates.P256, true, 30);
    }

    private static VerifiedSignature verify(Referrer referrer) {
        return NotationSignatures.verify(referrer, IMAGE, ca.trust(), Map.of(), NOW);
    }

    private static String rejection(Referrer referrer) {
        return assertThrows(SignatureRejectedException.class, () -> verify(referrer))
                .getMessage();
    }

    @Test
    void signsAndVerifies_p256WithEs256() throws Exception {
        SignatureArtifact artifact = NotationSignatures.sign(IMAGE, p256.signer(), NOW);
        VerifiedSignature verified = verify(artifact.referrer());

        assertEquals(NOW, verified.signingTime());
        assertEquals("CN=release-signer", verified.certificateSubject());
        assertEquals(artifact.certificateThumbprint(), verified.certificateThumbprint());
        Referrer r = artifact.referrer();
        assertEquals("application/vnd.cncf.notary.signature", r.artifactType());
        assertEquals(IMAGE, r.subject());
        assertEquals("application/jose+json", r.layers().getFirst().mediaType());
        JsonNode thumbprints = JSON.readTree(r.annotations().get("io.cncf.notary.x509chain.thumbprint#S256"));
        assertEquals(2, thumbprints.size(), "leaf and root");
        assertEquals(artifact.certificateThumbprint(), thumbprints.get(0).asText());

        JsonNode envelope = JSON.readTree(r.layers().getFirst().content());
        JsonNode header = JSON.readTree(
                Base64.getUrlDecoder().decode(envelope.get("protected").asText()));
        assertEquals("ES256", header.get("alg").asText());
        assertEquals("[\"io.cncf.notary.signingScheme\"]", header.get("crit").toString());
        assertEquals(
                "application/vnd.cncf.notary.payload.v1+json", header.get("cty").asText());
        assertEquals("notary.x509", header.get("io.cncf.notary.signingScheme").asText());
        assertEquals(NOW.toString(), header.get("io.cncf.notary.signingTime").asText());
        assertEquals(
                "{\"targetArtifact\":{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\""
                        + IMAGE.digest() + "\",\"size\":1234}}",
                new String(Base64.getUrlDecoder().decode(envelope.get("payload").asText()), StandardCharsets.UTF_8));
        assertEquals(
                "smd-release",
                envelope.at("/header/io.cncf.notary.signingAgent").asText());
        assertEquals(64, Base64.getUrlDecoder().decode(envelope.get("signature").asText()).length, "R || S");
    }

    @Test
    void signsAndVerifies_p384WithEs384() {
        TestCertificates.Issued p384 = ca.leaf("release-signer-384", TestCertificates.P384, true, 30);
        SignatureArtifact artifact = NotationSignatures.sign(IMAGE, p384.signer(), NOW);

        assertEquals("ES384", p384.signer().jwsAlgorithm());
        assertEquals("CN=release-signer-384", verify(artifact.referrer()).certificateSubject());
    }

    @Test
    void refuses_aTamperedPayload() {
        Referrer tampered = editEnvelope(
                signed(),
                e -> e.put(
                        "payload",
                        b64(("{\"targetArtifact\":{\"mediaType\":\"" + IMAGE.mediaType() + "\",\"digest\":\""
                                        + IMAGE.digest() + "\",\"size\":1235}}")
                                .getBytes(StandardCharsets.UTF_8))));
        assertTrue(rejection(tampered).contains("does not verify"), rejection(tampered));
    }

    @Test
    void refuses_aTamperedSignature() {
        Referrer tampered = editEnvelope(signed(), e -> {
            byte[] signature = Base64.getUrlDecoder().decode(e.get("signature").asText());
            signature[10] ^= 1;
            return e.put("signature", b64(signature));
        });
        assertTrue(rejection(tampered).contains("does not verify: the ES256 signature"), rejection(tampered));
    }

    @Test
    void refuses_aSignatureOfAnotherDigestSizeOrMediaType_evenWhenItsSubjectIsRewritten() {
        for (Descriptor other : List.of(
                new Descriptor(IMAGE.mediaType(), "sha256:" + "cd".repeat(32), IMAGE.size()),
                new Descriptor(IMAGE.mediaType(), IMAGE.digest(), 999),
                new Descriptor("application/vnd.oci.image.manifest.v1+json", IMAGE.digest(), IMAGE.size()))) {
            Referrer real = NotationSignatures.sign(other, p256.signer(), NOW).referrer();
            Referrer moved = new Referrer(real.artifactType(), IMAGE, real.layers(), real.annotations());

            String message = rejection(moved);
            assertTrue(message.contains("signs another image: its payload names " + other.digest()), message);
            assertTrue(message.contains(other.size() + " bytes") && message.contains(other.mediaType()), message);
        }
    }

    @Test
    void refuses_aSignatureAttachedToAnotherImage() {
        Descriptor other = new Descriptor(IMAGE.mediaType(), "sha256:" + "cd".repeat(32), IMAGE.size());
        Referrer ofOther = NotationSignatures.sign(other, p256.signer(), NOW).referrer();
        assertTrue(rejection(ofOther).contains("is attached to another image: its subject is " + other.digest()));
    }

    @Test
    void refuses_aChainToAnUntrustedRoot() {
        TestCertificates otherCa = TestCertificates.rootCa(dir, "Other Root");
        Referrer referrer = NotationSignatures.sign(
                        IMAGE,
                        otherCa.leaf("stranger", TestCertificates.P256, true, 30)
                                .signer(),
                        NOW)
                .referrer();
        String message = rejection(referrer);
        assertTrue(message.contains("is not trusted: the chain of CN=stranger (issued by CN=Other Root)"), message);
        assertTrue(message.contains("[CN=Release Root]"), message);
    }

    @Test
    void refuses_aChainThatStopsShortOfItsRoot_asNotationDoes() {
        LocalKeySigner leafOnly = LocalKeySigner.fromPemFiles(p256.key(), p256.certificate());
        Referrer referrer = NotationSignatures.sign(IMAGE, leafOnly, NOW).referrer();

        assertTrue(
                rejection(referrer)
                        .contains("has a certificate chain (x5c) that ends with CN=release-signer, issued by"
                                + " CN=Release Root: Notation requires it to end with the self-signed root"),
                rejection(referrer));
    }

    @Test
    void refuses_aCertificateWithoutCodeSigning() {
        Referrer referrer = NotationSignatures.sign(
                        IMAGE,
                        ca.leaf("web-server", TestCertificates.P256, false, 30).signer(),
                        NOW)
                .referrer();
        String message = rejection(referrer);
        assertTrue(message.contains("CN=web-server, which is not for code signing"), message);
        assertTrue(message.contains("1.3.6.1.5.5.7.3.3"), message);
    }

    @Test
    void refuses_aSignatureMadeAfterItsCertificateExpired() {
        TestCertificates.Issued shortLived = ca.leaf("short-lived", TestCertificates.P256, true, 1);
        Instant later = NOW.plus(Duration.ofDays(2));
        Referrer referrer =
                NotationSignatures.sign(IMAGE, shortLived.signer(), later).referrer();

        SignatureRejectedException e = assertThrows(
                SignatureRejectedException.class,
                () -> NotationSignatures.verify(referrer, IMAGE, ca.trust(), Map.of(), later.plusSeconds(60)));
        assertTrue(
                e.getMessage().contains("outside the validity of its signing certificate CN=short-lived"),
                e.getMessage());
    }

    @Test
    void refuses_aSigningTimeInTheFuture_butToleratesSkew() {
        Referrer skewed = NotationSignatures.sign(IMAGE, p256.signer(), NOW.plus(Duration.ofMinutes(4)))
                .referrer();
        verify(skewed);

        Referrer future = NotationSignatures.sign(IMAGE, p256.signer(), NOW.plus(Duration.ofHours(1)))
                .referrer();
        assertTrue(rejection(future).contains("later than now"), rejection(future));
    }

    @Test
    void refuses_anUnknownCriticalHeader() {
        Referrer referrer = resignHeader(signed(), h -> {
            h.withArray("crit").add("io.cncf.notary.authenticSigningTime");
            return h.put("io.cncf.notary.authenticSigningTime", NOW.toString());
        });
        assertTrue(
                rejection(referrer).contains("critical header 'io.cncf.notary.authenticSigningTime'"),
                rejection(referrer));
    }

    @Test
    void refuses_anotherSigningSchemeOrAlgorithmMismatch() {
        Referrer authority =
                resignHeader(signed(), h -> h.put("io.cncf.notary.signingScheme", "notary.x509.signingAuthority"));
        assertTrue(rejection(authority).contains("signing scheme 'notary.x509.signingAuthority'"));

        Referrer es384 = resignHeader(signed(), h -> h.put("alg", "ES384"));
        assertTrue(rejection(es384).contains("claims ES384, which needs a P-384 key"), rejection(es384));

        Referrer ps256 = resignHeader(signed(), h -> h.put("alg", "PS256"));
        assertTrue(rejection(ps256).contains("uses algorithm 'PS256'"), rejection(ps256));
    }

    @Test
    void refuses_anotherArtifactTypeOrLayer() {
        Referrer r = signed();
        Referrer sbom = new Referrer("application/vnd.cyclonedx+json", r.subject(), r.layers(), r.annotations());
        assertTrue(rejection(sbom)
                .contains("is not a Notation signature: its artifact type is" + " 'application/vnd.cyclonedx+json'"));

        Referrer cose = new Referrer(
                r.artifactType(),
                r.subject(),
                List.of(new Referrer.Layer(
                        "application/cose", r.layers().getFirst().content())),
                r.annotations());
        assertTrue(rejection(cose).contains("found [application/cose]"), rejection(cose));

        Referrer garbage = new Referrer(
                r.artifactType(),
                r.subject(),
                List.of(new Referrer.Layer(
                        "application/jose+json", "{\"payload\":1}".getBytes(StandardCharsets.UTF_8))),
                r.annotations());
        assertTrue(rejection(garbage).contains("is not a readable JWS envelope"), rejection(garbage));
    }

    @Test
    void refuses_aRevokedSigning() {
        SignatureTrust revoking = new SignatureTrust() {
            @Override
            public List<java.security.cert.X509Certificate> anchors() {
                return ca.trust().anchors();
            }

            @Override
            public java.util.Optional<String> revoked(Map<String, String> provenance) {
                return java.util.Optional.of("job " + provenance.get("signer.jobId") + " was revoked");
            }
        };
        SignatureRejectedException e = assertThrows(
                SignatureRejectedException.class,
                () -> NotationSignatures.verify(signed(), IMAGE, revoking, Map.of("signer.jobId", "j-1"), NOW));
        assertTrue(e.getMessage().endsWith("was revoked: job j-1 was revoked"), e.getMessage());
    }

    @Test
    void trustsALeafThatIsItselfTheAnchor() {
        NotationSignatures.verify(
                signed(),
                IMAGE,
                new LocalTrust(io.smdrelease.signing.Pem.certificates(p256.certificate())),
                Map.of(),
                NOW);
    }

    private static Referrer signed() {
        return NotationSignatures.sign(IMAGE, p256.signer(), NOW).referrer();
    }

    /** The envelope changed without re-signing. */
    private static Referrer editEnvelope(Referrer referrer, UnaryOperator<ObjectNode> edit) {
        try {
            ObjectNode envelope =
                    (ObjectNode) JSON.readTree(referrer.layers().getFirst().content());
            byte[] content = JSON.writeValueAsBytes(edit.apply(envelope));
            return new Referrer(
                    referrer.artifactType(),
                    referrer.subject(),
                    List.of(new Referrer.Layer(referrer.layers().getFirst().mediaType(), content)),
                    referrer.annotations());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The protected header changed and signed again with the real key: only the header's content is wrong. */
    private static Referrer resignHeader(Referrer referrer, UnaryOperator<ObjectNode> edit) {
        return editEnvelope(referrer, envelope -> {
            try {
                ObjectNode header = (ObjectNode) JSON.readTree(
                        Base64.getUrlDecoder().decode(envelope.get("protected").asText()));
                String encoded = b64(JSON.writeValueAsBytes(edit.apply(header)));
                byte[] input = (encoded + "." + envelope.get("payload").asText()).getBytes(StandardCharsets.US_ASCII);
                envelope.put("protected", encoded);
                return envelope.put("signature", b64(p256.signer().sign(input).joseSignature()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
