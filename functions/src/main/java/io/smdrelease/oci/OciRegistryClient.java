package io.smdrelease.oci;

import io.smdrelease.oci.RegistryHttp.Call;
import io.smdrelease.registry.CopyResult;
import io.smdrelease.registry.ImageRepository;
import io.smdrelease.registry.RegistryClient;
import io.smdrelease.registry.RegistryUnavailableException;
import io.smdrelease.store.Sha256;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link RegistryClient} over the OCI distribution API with {@code java.net.http}.
 *
 * <p>Why not {@code land.oras:oras-java-sdk} (0.7.0 evaluated): it re-serializes an image index before pushing it
 * ({@code Registry.pushIndex} writes {@code JsonUtils.toJson(index)}), so an index's digest is not preserved; it pushes
 * every manifest with the OCI media type, Docker schema 2 manifests included; its HTTP client has no retry at all, so
 * {@code Retry-After} cannot be honoured; and it brings micrometer, caffeine, Bouncy Castle and commons-compress into
 * the Lambda jar. The copy it needs is small: the manifest bytes as served, the blobs the target lacks.
 *
 * <p>Copy: when the target tag already has the digest, nothing else is done. Otherwise the source manifest is read by
 * digest (and checked against it); an index's children are copied first (each by digest, skipped when the target has
 * it); an image manifest's blobs are checked with HEAD and the missing ones mounted (same registry host) or streamed
 * from the source (GET piped into the PATCH, never held in memory), a few in parallel; then the manifest bytes are
 * PUT under the tag. A manifest the target already holds by digest is only tagged: its blobs are there.
 */
public final class OciRegistryClient implements RegistryClient {
    /** Blobs transferred at the same time per manifest. */
    public static final int DEFAULT_PARALLEL_BLOBS = 4;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final RegistryHttp http;
    private final BlobCopier blobs;

    /** A client with its own HTTP client, the default timeouts and {@link #DEFAULT_PARALLEL_BLOBS}. */
    public OciRegistryClient(RegistryCredentials credentials, RetryPolicy retry) {
        this(credentials, retry, DEFAULT_PARALLEL_BLOBS);
    }

    public OciRegistryClient(RegistryCredentials credentials, RetryPolicy retry, int parallelBlobs) {
        if (parallelBlobs < 1) {
            throw new IllegalArgumentException("parallelBlobs must be at least 1, got " + parallelBlobs);
        }
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                // redirects are followed by hand: a blob's storage URL must not get the registry's Authorization
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.http = new RegistryHttp(client, credentials, retry, REQUEST_TIMEOUT, Clock.systemUTC());
        this.blobs = new BlobCopier(http, parallelBlobs);
    }

    @Override
    public Optional<String> digestOf(String repository, String tag) {
        ImageRepository repo = ImageRepository.parse(repository);
        ImageRepository.requireTag(tag);
        return headManifest(repo, tag, "read the tag", RegistryHttp.pull(repo));
    }

    @Override
    public CopyResult copy(String sourceRepository, String digest, String targetRepository, String tag) {
        ImageRepository source = ImageRepository.parse(sourceRepository);
        ImageRepository target = ImageRepository.parse(targetRepository);
        ImageRepository.requireDigest(digest);
        ImageRepository.requireTag(tag);
        List<String> scopes = RegistryHttp.pushScopes(source, target);
        if (headManifest(target, tag, "read the tag", scopes)
                .filter(digest::equals)
                .isPresent()) {
            return CopyResult.skipped(target.toString(), tag, digest);
        }
        Tally tally = new Tally();
        copyManifest(source, target, digest, tag, tally);
        return new CopyResult(
                target.toString(),
                tag,
                digest,
                false,
                tally.manifests.get(),
                tally.present.get(),
                tally.mounted.get(),
                tally.uploaded.get(),
                tally.bytes.get());
    }

    /** What one copy did, summed over an index's children and the blobs copied in parallel. */
    static final class Tally {
        final AtomicInteger manifests = new AtomicInteger();
        final AtomicInteger present = new AtomicInteger();
        final AtomicInteger mounted = new AtomicInteger();
        final AtomicInteger uploaded = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
    }

    /** Copies manifest {@code digest} (and what it refers to) and puts it under {@code reference}. */
    private void copyManifest(
            ImageRepository source, ImageRepository target, String digest, String reference, Tally tally) {
        List<String> scopes = RegistryHttp.pushScopes(source, target);
        Manifest manifest = fetchManifest(source, digest);
        boolean targetHasIt = hasManifest(target, digest, scopes);
        if (!targetHasIt) {
            if (manifest.isIndex()) {
                for (Manifest.Descriptor child : manifest.children()) {
                    if (!hasManifest(target, child.digest(), scopes)) {
                        copyManifest(source, target, child.digest(), child.digest(), tally);
                    }
                }
            } else {
                blobs.copy(source, target, manifest.blobs(), tally);
            }
        }
        putManifest(target, reference, digest, manifest);
        tally.manifests.incrementAndGet();
    }

    /**
     * Whether the target already holds a manifest, to skip its blobs. Only a shortcut: a registry that keeps failing
     * this probe (docker-registry answers 500 for a digest of a repository it does not have yet) is answered by the
     * blob checks and the manifest PUT that follow, which say the truth about it.
     */
    private boolean hasManifest(ImageRepository target, String digest, List<String> scopes) {
        try {
            return headManifest(target, digest, "look for the manifest", scopes).isPresent();
        } catch (RegistryUnavailableException e) {
            return false;
        }
    }

    private Manifest fetchManifest(ImageRepository source, String digest) {
        Call call = new Call(source, digest, "read the manifest", RegistryHttp.pull(source));
        RegistryHttp.Fetched fetched = http.fetch(
                call,
                HttpRequest.newBuilder(RegistryHttp.uri(source, "manifests/" + digest))
                        .timeout(http.requestTimeout())
                        .header("Accept", Manifest.ACCEPT)
                        .GET());
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

    private void putManifest(ImageRepository target, String reference, String digest, Manifest manifest) {
        Call call = new Call(
                target, reference, "put the manifest " + digest + " under", RegistryHttp.pushScopes(target, target));
        HttpResponse<InputStream> response = http.send(
                call,
                HttpRequest.newBuilder(RegistryHttp.uri(target, "manifests/" + reference))
                        .timeout(http.requestTimeout())
                        .header("Content-Type", manifest.mediaType())
                        .PUT(BodyPublishers.ofByteArray(manifest.raw())));
        int status = response.statusCode();
        if (status != 201 && status != 200 && status != 202) {
            throw http.rejected(call, status, RegistryHttp.answer(response), null);
        }
        RegistryHttp.discard(response);
        Optional<String> stored = response.headers().firstValue("Docker-Content-Digest");
        if (stored.isPresent() && !stored.get().equals(digest)) {
            throw http.rejected(call, status, "it stored the manifest as " + stored.get(), null);
        }
    }

    /** The digest {@code reference} resolves to in {@code repository}, empty on 404 (HEAD, so no body is sent). */
    private Optional<String> headManifest(
            ImageRepository repository, String reference, String action, List<String> scopes) {
        Call call = new Call(repository, reference, action, scopes);
        HttpResponse<InputStream> response = http.send(
                call,
                HttpRequest.newBuilder(RegistryHttp.uri(repository, "manifests/" + reference))
                        .timeout(http.requestTimeout())
                        .header("Accept", Manifest.ACCEPT)
                        .method("HEAD", BodyPublishers.noBody()));
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
        RegistryHttp.Fetched fetched = http.fetch(
                call,
                HttpRequest.newBuilder(RegistryHttp.uri(repository, "manifests/" + reference))
                        .timeout(http.requestTimeout())
                        .header("Accept", Manifest.ACCEPT)
                        .GET());
        return Optional.of(sha256(fetched.body()));
    }

    static String sha256(byte[] bytes) {
        return "sha256:" + Sha256.hex(bytes);
    }

    // TEMP: compile shim (drop on merge); implemented on the registry helper's branch
    @Override
    public io.smdrelease.registry.Descriptor describe(String repository, String digest) {
        throw new UnsupportedOperationException("describe: not on this branch");
    }

    @Override
    public String pushReferrer(String repository, io.smdrelease.registry.Referrer referrer) {
        throw new UnsupportedOperationException("pushReferrer: not on this branch");
    }

    @Override
    public io.smdrelease.registry.Referrer readReferrer(String repository, String manifestDigest) {
        throw new UnsupportedOperationException("readReferrer: not on this branch");
    }
}
