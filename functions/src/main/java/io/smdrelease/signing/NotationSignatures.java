package io.smdrelease.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.Referrer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Notary Project signatures of images (signature specification 1.x, JWS envelope, signing scheme
 * {@code notary.x509}): {@link #sign} makes the signature artifact to push next to an image, {@link #verify} checks
 * one read back before the image is promoted. The envelopes are what {@code notation verify} reads.
 */
public final class NotationSignatures {
    public static final String ARTIFACT_TYPE = "application/vnd.cncf.notary.signature";
    public static final String ENVELOPE_MEDIA_TYPE = "application/jose+json";
    public static final String PAYLOAD_CONTENT_TYPE = "application/vnd.cncf.notary.payload.v1+json";
    public static final String THUMBPRINT_ANNOTATION = "io.cncf.notary.x509chain.thumbprint#S256";
    public static final String SIGNING_AGENT = "smd-release";
    /** How far a signing time may lie ahead of the verifier's clock (clocks of two machines differ). */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    static final String SIGNING_SCHEME = "io.cncf.notary.signingScheme";
    static final String SIGNING_TIME = "io.cncf.notary.signingTime";
    static final String EXPIRY = "io.cncf.notary.expiry";
    static final String SCHEME_X509 = "notary.x509";
    /** The critical headers this verifier checks; any other in {@code crit} rejects the signature. */
    private static final Set<String> UNDERSTOOD_CRITICAL = Set.of(SIGNING_SCHEME, EXPIRY);

    private NotationSignatures() {}

    /**
     * Signs {@code image}: the payload names it, the protected header carries {@code signingTime} (whole seconds),
     * the signer signs {@code protected.payload}, and its chain goes into {@code x5c}.
     *
     * @throws SigningException when the signer fails or its signature does not verify with its own certificate
     */
    public static SignatureArtifact sign(Descriptor image, PayloadSigner signer, Instant signingTime) {
        Instant time = signingTime.truncatedTo(ChronoUnit.SECONDS);
        JwsAlgorithm algorithm = JwsAlgorithm.named(signer.jwsAlgorithm())
                .orElseThrow(() -> new SigningException("the signer signs with " + signer.jwsAlgorithm()
                        + "; Notation signatures here use ES256 or" + " ES384"));
        ObjectNode header = JwsEnvelope.JSON.createObjectNode();
        header.put("alg", algorithm.name());
        header.putArray("crit").add(SIGNING_SCHEME);
        header.put("cty", PAYLOAD_CONTENT_TYPE);
        header.put(SIGNING_SCHEME, SCHEME_X509);
        header.put(SIGNING_TIME, DateTimeFormatter.ISO_INSTANT.format(time));
        String protectedEncoded = JwsEnvelope.base64Url(bytes(header));
        String payloadEncoded = JwsEnvelope.base64Url(bytes(payloadOf(image)));

        SignedBytes signed = signer.sign(JwsEnvelope.signingInput(protectedEncoded, payloadEncoded));
        if (signed.chain().isEmpty()) {
            throw new SigningException("the signer returned no certificate chain with its signature");
        }
        X509Certificate leaf = signed.chain().getFirst();
        if (!signatureVerifies(
                algorithm, leaf, JwsEnvelope.signingInput(protectedEncoded, payloadEncoded), signed.joseSignature())) {
            throw new SigningException("the signer's " + algorithm + " signature does not verify with the key of its"
                    + " certificate " + leaf.getSubjectX500Principal() + ": the signer and its certificate disagree");
        }

        ObjectNode envelope = JwsEnvelope.JSON.createObjectNode();
        envelope.put("payload", payloadEncoded);
        envelope.put("protected", protectedEncoded);
        ObjectNode unprotected = envelope.putObject("header");
        ArrayNode x5c = unprotected.putArray("x5c");
        ArrayNode thumbprints = JwsEnvelope.JSON.createArrayNode();
        for (X509Certificate certificate : signed.chain()) {
            x5c.add(Base64.getEncoder().encodeToString(Pem.der(certificate)));
            thumbprints.add(Pem.sha256Thumbprint(certificate));
        }
        unprotected.put("io.cncf.notary.signingAgent", SIGNING_AGENT);
        envelope.put("signature", JwsEnvelope.base64Url(signed.joseSignature()));

        Referrer referrer = new Referrer(
                ARTIFACT_TYPE,
                image,
                List.of(new Referrer.Layer(ENVELOPE_MEDIA_TYPE, bytes(envelope))),
                Map.of(THUMBPRINT_ANNOTATION, new String(bytes(thumbprints), StandardCharsets.UTF_8)));
        return new SignatureArtifact(referrer, signed.provenance(), Pem.sha256Thumbprint(leaf), time);
    }

    /**
     * Verifies a signature read back from the registry against the image it must be for.
     *
     * @param provenance the signature's provenance as recorded at signing ({@link SignatureArtifact#provenance()})
     * @param now        the verifier's time: a signing time later than this plus {@link #CLOCK_SKEW} is refused
     * @throws SignatureRejectedException saying which check failed
     */
    public static VerifiedSignature verify(
            Referrer signature,
            Descriptor expectedImage,
            SignatureTrust trust,
            Map<String, String> provenance,
            Instant now) {
        String of = "the signature of " + expectedImage.digest();
        if (!ARTIFACT_TYPE.equals(signature.artifactType())) {
            throw rejected(of + " is not a Notation signature: its artifact type is '" + signature.artifactType()
                    + "', not '" + ARTIFACT_TYPE + "'");
        }
        if (signature.layers().size() != 1
                || !ENVELOPE_MEDIA_TYPE.equals(signature.layers().getFirst().mediaType())) {
            throw rejected(of + " must have exactly one layer of media type '" + ENVELOPE_MEDIA_TYPE + "' (a JWS"
                    + " envelope), found "
                    + signature.layers().stream().map(Referrer.Layer::mediaType).toList());
        }
        if (!expectedImage.equals(signature.subject())) {
            throw rejected(of + " is attached to another image: its subject is " + describe(signature.subject())
                    + ", expected " + describe(expectedImage));
        }
        JwsEnvelope jws;
        try {
            jws = JwsEnvelope.parse(signature.layers().getFirst().content());
        } catch (IllegalArgumentException e) {
            throw rejected(of + " is not a readable JWS envelope: " + e.getMessage(), e);
        }
        ObjectNode header = jws.protectedHeader();
        JsonNode crit = header.get("crit");
        if (crit == null || !crit.isArray()) {
            throw rejected(of + " has no 'crit' list in its protected header (Notation requires one naming "
                    + SIGNING_SCHEME + ")");
        }
        for (JsonNode name : crit) {
            if (!UNDERSTOOD_CRITICAL.contains(name.asText())) {
                throw rejected(of + " requires the verifier to understand the critical header '" + name.asText()
                        + "', which this verifier does not know (it knows " + UNDERSTOOD_CRITICAL + ")");
            }
            if (!header.has(name.asText())) {
                throw rejected(of + " lists '" + name.asText() + "' as critical but its protected header lacks it");
            }
        }
        String cty = header.path("cty").asText();
        if (!PAYLOAD_CONTENT_TYPE.equals(cty)) {
            throw rejected(of + " has payload content type '" + cty + "', not '" + PAYLOAD_CONTENT_TYPE + "'");
        }
        String alg = header.path("alg").asText();
        JwsAlgorithm algorithm = JwsAlgorithm.named(alg)
                .orElseThrow(() -> rejected(
                        of + " uses algorithm '" + alg + "'; only ES256 (P-256) and ES384 (P-384) are accepted"));
        String scheme = header.path(SIGNING_SCHEME).asText();
        if (!SCHEME_X509.equals(scheme) || !contains(crit, SIGNING_SCHEME)) {
            throw rejected(of + " uses signing scheme '" + scheme + "'; only '" + SCHEME_X509 + "' is accepted, and"
                    + " it must be listed in 'crit'");
        }
        Instant signingTime = time(header, SIGNING_TIME)
                .orElseThrow(() -> rejected(of + " has no " + SIGNING_TIME + " in its protected header"));
        if (signingTime.isAfter(now.plus(CLOCK_SKEW))) {
            throw rejected(of + " claims signing time " + signingTime + ", later than now (" + now + ") by more than "
                    + CLOCK_SKEW.toMinutes() + " min: a clock is wrong or the header is forged");
        }
        Optional<Instant> expiry = time(header, EXPIRY);
        if (expiry.isPresent() && !now.isBefore(expiry.get())) {
            throw rejected(of + " expired at " + expiry.get());
        }
        X509Certificate leaf = jws.chain().getFirst();
        CertificateChecks.requireValidAt(of, leaf, signingTime);
        CertificateChecks.requireKeyFor(of, leaf, algorithm);
        if (!signatureVerifies(algorithm, leaf, jws.signingInput(), jws.signature())) {
            throw rejected(of + " does not verify: the " + algorithm + " signature over its header and payload does"
                    + " not match the key of its certificate " + leaf.getSubjectX500Principal()
                    + " (the envelope was altered or signed by another key)");
        }
        Descriptor target = targetArtifact(of, jws.payload());
        if (!expectedImage.equals(target)) {
            throw rejected(of + " signs another image: its payload names " + describe(target) + ", expected "
                    + describe(expectedImage));
        }
        CertificateChecks.requireEndsWithRoot(of, jws.chain());
        CertificateChecks.requireTrusted(of, jws.chain(), trust.anchors(), signingTime);
        CertificateChecks.requireCodeSigning(of, leaf);
        Optional<String> revoked = trust.revoked(provenance);
        if (revoked.isPresent()) {
            throw rejected(of + " was revoked: " + revoked.get());
        }
        return new VerifiedSignature(signingTime, leaf.getSubjectX500Principal().getName(), Pem.sha256Thumbprint(leaf));
    }

    private static ObjectNode payloadOf(Descriptor image) {
        ObjectNode payload = JwsEnvelope.JSON.createObjectNode();
        ObjectNode target = payload.putObject("targetArtifact");
        target.put("mediaType", image.mediaType());
        target.put("digest", image.digest());
        target.put("size", image.size());
        return payload;
    }

    private static Descriptor targetArtifact(String of, ObjectNode payload) {
        JsonNode target = payload.get("targetArtifact");
        if (target == null
                || !target.path("mediaType").isTextual()
                || !target.path("digest").isTextual()
                || !target.path("size").canConvertToExactIntegral()) {
            throw rejected(of + " has a payload without targetArtifact {mediaType, digest, size}");
        }
        return new Descriptor(
                target.get("mediaType").asText(),
                target.get("digest").asText(),
                target.get("size").asLong());
    }

    private static Optional<Instant> time(ObjectNode header, String field) {
        JsonNode node = header.get(field);
        if (node == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(node.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant());
        } catch (DateTimeParseException e) {
            throw rejected("the signature's " + field + " '" + node.asText() + "' is not an RFC 3339 time", e);
        }
    }

    static boolean signatureVerifies(JwsAlgorithm algorithm, X509Certificate leaf, byte[] input, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm.jcaSignature());
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(input);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature or a key of another type: it does not verify
        }
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode node : array) {
            if (value.equals(node.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Descriptor d) {
        return d.digest() + " (" + d.mediaType() + ", " + d.size() + " bytes)";
    }

    static SignatureRejectedException rejected(String message) {
        return new SignatureRejectedException(message);
    }

    static SignatureRejectedException rejected(String message, Throwable cause) {
        return new SignatureRejectedException(message, cause);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JwsEnvelope.JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
