package io.smdrelease.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * What a registry on 127.0.0.1 without authentication (docker-registry, MiniStack's ECR) does with OCI 1.1 referrers,
 * asked over plain HTTP outside the client under test: the manifest as served, the {@code OCI-Subject} header of a
 * manifest PUT, and the referrers API.
 */
public final class ReferrersProbe {
    private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ReferrersProbe() {}

    /** An answer: status, body and the header asked for. */
    public record Answer(int status, byte[] body, Optional<String> header) {}

    /** {@code GET /v2/<name>/manifests/<digest>}: the manifest bytes as the registry serves them. */
    public static Answer manifest(String repository, String digest) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(uri(repository, "manifests/" + digest))
                        .header("Accept", OCI_MANIFEST)
                        .GET(),
                "Content-Type");
    }

    /** {@code PUT /v2/<name>/manifests/<digest>} of an OCI manifest; the answer's {@code OCI-Subject} header. */
    public static Answer putManifest(String repository, String digest, byte[] manifest)
            throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(uri(repository, "manifests/" + digest))
                        .header("Content-Type", OCI_MANIFEST)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
                "OCI-Subject");
    }

    /** {@code GET /v2/<name>/referrers/<digest>} (distribution spec 1.1); the answer's Content-Type. */
    public static Answer referrers(String repository, String subjectDigest) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(uri(repository, "referrers/" + subjectDigest))
                        .header("Accept", "application/vnd.oci.image.index.v1+json")
                        .GET(),
                "Content-Type");
    }

    private static Answer send(HttpRequest.Builder request, String header) throws IOException, InterruptedException {
        HttpResponse<byte[]> response =
                HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(
                response.statusCode(), response.body(), response.headers().firstValue(header));
    }

    private static URI uri(String repository, String suffix) {
        int slash = repository.indexOf('/');
        return URI.create(
                "http://" + repository.substring(0, slash) + "/v2/" + repository.substring(slash + 1) + "/" + suffix);
    }
}
