package io.smdrelease.signing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A JWS in flattened JSON serialization (RFC 7515 §7.2.2) as Notation writes it: the encoded protected header and
 * payload as signed, the decoded header and payload, the signature ({@code R || S}) and the {@code x5c} chain.
 */
record JwsEnvelope(
        String protectedEncoded,
        String payloadEncoded,
        ObjectNode protectedHeader,
        ObjectNode payload,
        byte[] signature,
        List<X509Certificate> chain) {

    /** Duplicate names are refused: two readers must never see two different headers in one envelope. */
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The ASCII bytes that were signed: {@code BASE64URL(protected) '.' BASE64URL(payload)}. */
    byte[] signingInput() {
        return signingInput(protectedEncoded, payloadEncoded);
    }

    static byte[] signingInput(String protectedEncoded, String payloadEncoded) {
        return (protectedEncoded + "." + payloadEncoded).getBytes(StandardCharsets.US_ASCII);
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Parses an envelope.
     *
     * @throws IllegalArgumentException saying what is malformed
     */
    static JwsEnvelope parse(byte[] envelope) {
        JsonNode root = read(envelope, "the envelope");
        String protectedEncoded = text(root, "protected");
        String payloadEncoded = text(root, "payload");
        byte[] signature = decodeUrl(text(root, "signature"), "signature");
        JsonNode header = root.get("header");
        if (header == null || !header.isObject()) {
            throw new IllegalArgumentException("it has no unprotected 'header' object");
        }
        JsonNode x5c = header.get("x5c");
        if (x5c == null || !x5c.isArray() || x5c.isEmpty()) {
            throw new IllegalArgumentException("its header has no 'x5c' certificate chain");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (JsonNode entry : x5c) {
            chain.add(certificate(entry));
        }
        return new JwsEnvelope(
                protectedEncoded,
                payloadEncoded,
                object(decodeUrl(protectedEncoded, "protected"), "the protected header"),
                object(decodeUrl(payloadEncoded, "payload"), "the payload"),
                signature,
                List.copyOf(chain));
    }

    private static X509Certificate certificate(JsonNode entry) {
        try {
            // x5c entries are standard base64 DER (RFC 7515 §4.1.6), not base64url
            byte[] der = Base64.getDecoder().decode(entry.asText());
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException e) {
            throw new IllegalArgumentException("an x5c entry is not a base64 DER certificate: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new IllegalArgumentException("it has no '" + field + "' string");
        }
        return node.asText();
    }

    private static byte[] decodeUrl(String value, String field) {
        if (value.indexOf('=') >= 0) {
            throw new IllegalArgumentException("'" + field + "' is padded: JWS base64url has no '='");
        }
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + field + "' is not base64url: " + e.getMessage(), e);
        }
    }

    private static ObjectNode object(byte[] json, String what) {
        JsonNode node = read(json, what);
        if (!node.isObject()) {
            throw new IllegalArgumentException(what + " is not a JSON object");
        }
        return (ObjectNode) node;
    }

    private static JsonNode read(byte[] json, String what) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getMessage(), e);
        }
    }
}
