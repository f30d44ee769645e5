package io.smdrelease.oci;

import io.smdrelease.oci.RegistryHttp.Call;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.ImageRepository;
import io.smdrelease.registry.RegistryUnavailableException;
import io.smdrelease.store.Sha256;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The manifest requests of the registry client: HEAD, GET (digest checked), PUT, and a manifest's descriptor. */
final class ManifestRequests {
    /** Manifest PUTs answered MANIFEST_BLOB_UNKNOWN before the refusal stands. */
    static final int BLOB_LINK_ATTEMPTS = 3;

    private static final Duration BLOB_LINK_PAUSE = Duration.ofMillis(200);

    private final RegistryHttp http;

    ManifestRequests(RegistryHttp http) {
        this.http = http;
    }

    /** The digest {@code reference} resolves to in {@code repository}, empty on 404 (HEAD, so no body is sent). */
    Optional<String> head(ImageRepository repository, String reference, String action, List<String> scopes) {
        Call call = new Call(repository, reference, action, scopes);
        HttpResponse<InputStream> response = http.send(call, request(repository, reference, "HEAD"));
        RegistryHttp.discard(response);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw http.rejected(call, response.statusCode(), String.valueOf(response.statusCode()), null);
        }
        Optional<String> digest = response.headers().firstValue("Docker-Content-Digest");
        if (digest.isPresent()) {
            return digest;
        }
        // a registry that does not say: hash what it serves
        return Optional.of(
                sha256(http.fetch(call, request(repository, reference, "GET")).body()));
    }

    /**
     * Whether {@code repository} already holds manifest {@code digest}. Only a shortcut: a registry that keeps failing
     * this probe (docker-registry has answered 500 for a digest of a repository it does not have yet) is answered by the blob checks and the manifest PUT that follow, which say the truth about it.
     */
    boolean has(ImageRepository repository, String digest, List<String> scopes) {
        try {
            return head(repository, digest, "look for the manifest", scopes).isPresent();
        } catch (RegistryUnavailableException e) {
            return false;
        }
    }

    /** Manifest {@code digest} of {@code repository} as served, checked against the digest. */
    Manifest fetch(ImageRepository repository, String digest, String action) {
        Call call = new Call(repository, digest, action, RegistryHttp.pull(repository));
        RegistryHttp.Fetched fetched = http.fetch(call, request(repository, digest, "GET"));
        String actual = sha256(fetched.body());
        if (!actual.equals(digest)) {
            throw http.rejected(call, 200, "a manifest whose digest is " + actual, null);
        }
        try {
            return Manifest.parse(fetched.body(), fetched.headers().firstValue("Content-Type"));
        } catch (IllegalArgumentException e) {
            throw http.rejected(call, 200, e.getMessage(), e);
        }
    }

    /**
     * PUTs the manifest bytes under {@code reference} (a tag, or the digest itself); the registry must agree. Called
     * once the manifest's blobs are in the target, so a 400 {@code MANIFEST_BLOB_UNKNOWN} is docker-registry's race with
     * another push linking one of them (it reads the half-written link): tried again {@link #BLOB_LINK_ATTEMPTS} times.
     */
    void put(ImageRepository target, String reference, String digest, String mediaType, byte[] raw) {
        Call call = new Call(
                target, reference, "put the manifest " + digest + " under", RegistryHttp.pushScopes(target, target));
        HttpResponse<InputStream> response;
        int status;
        for (int attempt = 1; ; attempt++) {
            response = http.send(
                    call,
                    HttpRequest.newBuilder(RegistryHttp.uri(target, "manifests/" + reference))
                            .timeout(http.requestTimeout())
                            .header("Content-Type", mediaType)
                            .PUT(BodyPublishers.ofByteArray(raw)));
            status = response.statusCode();
            if (status == 201 || status == 200 || status == 202) {
                break;
            }
            String answer = RegistryHttp.answer(response);
            if (status != 400 || !answer.contains("MANIFEST_BLOB_UNKNOWN") || attempt == BLOB_LINK_ATTEMPTS) {
                throw http.rejected(call, status, answer, null);
            }
            Duration delay = BLOB_LINK_PAUSE.multipliedBy(attempt);
            RegistryHttp.logRetry(call, "answered " + answer, attempt + 1, BLOB_LINK_ATTEMPTS, delay);
            pause(delay);
        }
        RegistryHttp.discard(response);
        Optional<String> stored = response.headers().firstValue("Docker-Content-Digest");
        if (stored.isPresent() && !stored.get().equals(digest)) {
            throw http.rejected(call, status, "it stored the manifest as " + stored.get(), null);
        }
    }

    /**
     * The descriptor of manifest {@code digest} from the headers of a HEAD; when the registry leaves out its
     * Content-Type, Content-Length or Docker-Content-Digest, from the manifest itself (GET, hashed and measured).
     */
    Descriptor describe(ImageRepository repository, String digest) {
        Call call = new Call(repository, digest, "describe the manifest", RegistryHttp.pull(repository));
        HttpResponse<InputStream> response = http.send(call, request(repository, digest, "HEAD"));
        RegistryHttp.discard(response);
        if (response.statusCode() != 200) {
            throw http.rejected(call, response.statusCode(), String.valueOf(response.statusCode()), null);
        }
        HttpHeaders headers = response.headers();
        Optional<String> mediaType = headers.firstValue("Content-Type").map(ManifestRequests::withoutParameters);
        OptionalLong size = headers.firstValueAsLong("Content-Length");
        Optional<String> stated = headers.firstValue("Docker-Content-Digest");
        if (stated.isPresent() && !stated.get().equals(digest)) {
            throw http.rejected(call, 200, "the manifest " + stated.get(), null);
        }
        if (mediaType.isPresent() && size.isPresent() && stated.isPresent()) {
            return new Descriptor(mediaType.get(), digest, size.getAsLong());
        }
        Manifest manifest = fetch(repository, digest, "describe the manifest");
        return new Descriptor(manifest.mediaType(), digest, manifest.raw().length);
    }

    private HttpRequest.Builder request(ImageRepository repository, String reference, String method) {
        return HttpRequest.newBuilder(RegistryHttp.uri(repository, "manifests/" + reference))
                .timeout(http.requestTimeout())
                .header("Accept", Manifest.ACCEPT)
                .method(method, BodyPublishers.noBody());
    }

    static String withoutParameters(String contentType) {
        return contentType.split(";", 2)[0].trim();
    }

    static String sha256(byte[] bytes) {
        return "sha256:" + Sha256.hex(bytes);
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to put a manifest again", e);
        }
    }
}
