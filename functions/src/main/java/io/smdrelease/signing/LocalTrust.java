package io.smdrelease.signing;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Trusts the certificates it is given; nothing is ever revoked (a local key has no signing service to ask). */
public final class LocalTrust implements SignatureTrust {
    private final List<X509Certificate> anchors;

    public LocalTrust(List<X509Certificate> anchors) {
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("a trust needs at least one trusted certificate");
        }
        this.anchors = List.copyOf(anchors);
    }

    /** The certificates of PEM files, all trusted. */
    public static LocalTrust fromPemFiles(List<Path> files) {
        List<X509Certificate> anchors = new ArrayList<>();
        files.forEach(file -> anchors.addAll(Pem.certificates(file)));
        return new LocalTrust(anchors);
    }

    @Override
    public List<X509Certificate> anchors() {
        return anchors;
    }

    @Override
    public Optional<String> revoked(Map<String, String> provenance) {
        return Optional.empty();
    }
}
