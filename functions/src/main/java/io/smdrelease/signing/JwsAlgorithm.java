package io.smdrelease.signing;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * The JWS ECDSA algorithms a Notation signature may use here (RFC 7518 §3.4): the curve, the JDK signature algorithm
 * that reads and writes JWS's {@code R || S} form, and the length of each half.
 */
public enum JwsAlgorithm {
    ES256("secp256r1", "P-256", "SHA256withECDSAinP1363Format", 32),
    ES384("secp384r1", "P-384", "SHA384withECDSAinP1363Format", 48);

    private final String curveOid;
    private final String curveName;
    private final String jcaSignature;
    private final int fieldBytes;

    JwsAlgorithm(String curveOid, String curveName, String jcaSignature, int fieldBytes) {
        this.curveOid = curveOid;
        this.curveName = curveName;
        this.jcaSignature = jcaSignature;
        this.fieldBytes = fieldBytes;
    }

    /** The algorithm named {@code alg} in a JWS header, or empty for one not accepted here. */
    public static Optional<JwsAlgorithm> named(String alg) {
        return Arrays.stream(values()).filter(a -> a.name().equals(alg)).findFirst();
    }

    /** The algorithm of an EC key's curve, or empty for a curve other than P-256 and P-384. */
    public static Optional<JwsAlgorithm> of(ECKey key) {
        return Arrays.stream(values()).filter(a -> a.matches(key)).findFirst();
    }

    /** {@code P-256} or {@code P-384}. */
    public String curveName() {
        return curveName;
    }

    /** The JDK {@link java.security.Signature} algorithm that signs and verifies in {@code R || S} form. */
    public String jcaSignature() {
        return jcaSignature;
    }

    /** Whether the key is on this algorithm's curve (compared by its parameters: the JDK names curves loosely). */
    public boolean matches(ECKey key) {
        ECParameterSpec mine = parameters();
        ECParameterSpec theirs = key.getParams();
        return mine.getCurve().equals(theirs.getCurve())
                && mine.getGenerator().equals(theirs.getGenerator())
                && mine.getOrder().equals(theirs.getOrder());
    }

    /**
     * An ASN.1 DER ECDSA signature ({@code SEQUENCE { INTEGER r, INTEGER s }}, what AWS Signer and
     * {@code SHA256withECDSA} give) as JWS's {@code R || S}, each padded to the curve's length.
     *
     * @throws IllegalArgumentException when {@code der} is not such a signature for this curve
     */
    public byte[] p1363FromDer(byte[] der) {
        DerReader reader = new DerReader(der);
        reader.expect(0x30, "SEQUENCE");
        int sequenceEnd = reader.length() + reader.position;
        if (sequenceEnd != der.length) {
            throw new IllegalArgumentException("not a DER ECDSA signature: the SEQUENCE does not span the bytes");
        }
        byte[] out = new byte[2 * fieldBytes];
        for (int half = 0; half < 2; half++) {
            reader.expect(0x02, "INTEGER");
            int length = reader.length();
            BigInteger value = new BigInteger(1, reader.take(length));
            byte[] unsigned = value.toByteArray();
            int skip = unsigned.length > fieldBytes && unsigned[0] == 0 ? 1 : 0;
            int size = unsigned.length - skip;
            if (size > fieldBytes) {
                throw new IllegalArgumentException(
                        "not a " + curveName + " ECDSA signature: an integer has " + size + " bytes");
            }
            System.arraycopy(unsigned, skip, out, half * fieldBytes + fieldBytes - size, size);
        }
        if (reader.position != der.length) {
            throw new IllegalArgumentException("not a DER ECDSA signature: bytes after the second INTEGER");
        }
        return out;
    }

    private ECParameterSpec parameters() {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(curveOid));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks curve " + curveOid, e);
        }
    }

    /** Just enough DER for an ECDSA signature: short and long definite lengths. */
    private static final class DerReader {
        private final byte[] bytes;
        private int position;

        DerReader(byte[] bytes) {
            this.bytes = bytes;
        }

        void expect(int tag, String what) {
            if (position >= bytes.length || (bytes[position] & 0xff) != tag) {
                throw new IllegalArgumentException("not a DER ECDSA signature: expected " + what + " at " + position);
            }
            position++;
        }

        int length() {
            int first = next();
            if (first < 0x80) {
                return first;
            }
            int count = first & 0x7f;
            if (count == 0 || count > 2) {
                throw new IllegalArgumentException("not a DER ECDSA signature: length of " + count + " bytes");
            }
            int length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | next();
            }
            return length;
        }

        byte[] take(int length) {
            if (length <= 0 || position + length > bytes.length) {
                throw new IllegalArgumentException("not a DER ECDSA signature: truncated");
            }
            byte[] out = Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return out;
        }

        private int next() {
            if (position >= bytes.length) {
                throw new IllegalArgumentException("not a DER ECDSA signature: truncated");
            }
            return bytes[position++] & 0xff;
        }
    }
}
