package io.smdrelease.oci;

import io.smdrelease.oci.RegistryHttp.Call;
import io.smdrelease.oci.RegistryHttp.RetryableFailure;
import io.smdrelease.registry.CopyResult;
import io.smdrelease.registry.ImageRepository;
import io.smdrelease.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
    /** A streamed blob may take its size at this rate, plus the request timeout, before it is given up. */
    private static final long SLOWEST_BYTES_PER_SECOND = 1_000_000;

    private final RegistryHttp http;
    private final int parallelBlobs;

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
        this.parallelBlobs = parallelBlobs;
    }

    @Override
    public Optional<String> digestOf(String repository, String tag) {
        ImageRepository repo = ImageRepository.parse(repository);
        ImageRepository.requireTag(tag);
        return headManifest(repo, tag, "read the tag", pull(repo));
    }

    @Override
    public CopyResult copy(String sourceRepository, String digest, String targetRepository, String tag) {
        ImageRepository source = ImageRepository.parse(sourceRepository);
        ImageRepository target = ImageRepository.parse(targetRepository);
        ImageRepository.requireDigest(digest);
        ImageRepository.requireTag(tag);
        List<String> scopes = pushScopes(source, target);
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
    private static final class Tally {
        final AtomicInteger manifests = new AtomicInteger();
        final AtomicInteger present = new AtomicInteger();
        final AtomicInteger mounted = new AtomicInteger();
        final AtomicInteger uploaded = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
    }

    /** Copies manifest {@code digest} (and what it refers to) and puts it under {@code reference}. */
    private void copyManifest(
            ImageRepository source, ImageRepository target, String digest, String reference, Tally tally) {
        List<String> scopes = pushScopes(source, target);
        Manifest manifest = fetchManifest(source, digest);
        boolean targetHasIt =
                headManifest(target, digest, "look for the manifest", scopes).isPresent();
        if (!targetHasIt) {
            if (manifest.isIndex()) {
                for (Manifest.Descriptor child : manifest.children()) {
                    if (headManifest(target, child.digest(), "look for the manifest", scopes)
                            .isEmpty()) {
                        copyManifest(source, target, child.digest(), child.digest(), tally);
                    }
                }
            } else {
                copyBlobs(source, target, manifest.blobs(), tally);
            }
        }
        putManifest(target, reference, digest, manifest);
        tally.manifests.incrementAndGet();
    }

    private void copyBlobs(
            ImageRepository source, ImageRepository target, List<Manifest.Descriptor> blobs, Tally tally) {
        List<Manifest.Descriptor> todo =
                blobs.stream().filter(b -> !b.isForeign()).distinct().toList();
        if (todo.size() == 1 || parallelBlobs == 1) {
            todo.forEach(blob -> copyBlob(source, target, blob, tally));
            return;
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(
                Math.min(parallelBlobs, todo.size()),
                Thread.ofVirtual().name("blob-copy-", 0).factory())) {
            List<Future<?>> futures = new ArrayList<>();
            for (Manifest.Descriptor blob : todo) {
                futures.add(pool.submit(() -> copyBlob(source, target, blob, tally)));
            }
            try {
                for (Future<?> future : futures) {
                    future.get();
                }
            } catch (ExecutionException e) {
                pool.shutdownNow();
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while copying blobs to " + target, e);
            }
        }
    }

    private void copyBlob(ImageRepository source, ImageRepository target, Manifest.Descriptor blob, Tally tally) {
        List<String> scopes = pushScopes(source, target);
        Call head = new Call(target, blob.digest(), "look for the blob", scopes);
        HttpResponse<InputStream> exists = http.send(
                head,
                HttpRequest.newBuilder(RegistryHttp.uri(target, "blobs/" + blob.digest()))
                        .timeout(http.requestTimeout())
                        .method("HEAD", BodyPublishers.noBody()));
        RegistryHttp.discard(exists);
        if (exists.statusCode() == 200) {
            tally.present.incrementAndGet();
            return;
        }
        if (exists.statusCode() != 404) {
            throw http.rejected(head, exists.statusCode(), String.valueOf(exists.statusCode()), null);
        }
        Optional<URI> session = Optional.empty();
        if (source.host().equals(target.host())) {
            Call mount = new Call(target, blob.digest(), "mount the blob from " + source + " into", scopes);
            HttpResponse<InputStream> mounted = http.send(
                    mount,
                    HttpRequest.newBuilder(RegistryHttp.uri(
                                    target,
                                    "blobs/uploads/?mount=" + RegistryHttp.encode(blob.digest()) + "&from="
                                            + RegistryHttp.encode(source.path())))
                            .timeout(http.requestTimeout())
                            .POST(BodyPublishers.noBody()));
            if (mounted.statusCode() == 201) {
                RegistryHttp.discard(mounted);
                tally.mounted.incrementAndGet();
                return;
            }
            if (mounted.statusCode() != 202) {
                throw http.rejected(mount, mounted.statusCode(), RegistryHttp.answer(mounted), null);
            }
            // not mountable (the registry does not mount, or the source lacks it): the answer is an upload session
            RegistryHttp.discard(mounted);
            session = location(mounted);
        }
        long bytes = streamBlob(source, target, blob, session);
        tally.uploaded.incrementAndGet();
        tally.bytes.addAndGet(bytes);
    }

    /**
     * Streams one blob from the source into an upload session of the target (the given one, else a new one): the GET
     * body is the PATCH body. A failure of any step starts over with a new session, within the retry policy.
     */
    private long streamBlob(
            ImageRepository source, ImageRepository target, Manifest.Descriptor blob, Optional<URI> firstSession) {
        Call call = new Call(target, blob.digest(), "copy the blob from " + source + " to", pushScopes(source, target));
        Call read = new Call(source, blob.digest(), "read the blob", pull(source));
        AtomicReference<URI> session = new AtomicReference<>(firstSession.orElse(null));
        return http.retrying(call, () -> {
            URI given = session.getAndSet(null);
            URI upload = given != null ? given : startUpload(call);
            HttpResponse<InputStream> blobResponse = openBlob(read, RegistryHttp.uri(source, "blobs/" + blob.digest()));
            long size =
                    blobResponse.headers().firstValueAsLong("Content-Length").orElse(blob.size());
            if (size < 0) {
                RegistryHttp.discard(blobResponse);
                throw http.rejected(read, 200, "no Content-Length and no size in the manifest", null);
            }
            Duration timeout = http.requestTimeout().plusSeconds(size / SLOWEST_BYTES_PER_SECOND);
            HttpResponse<InputStream> patched;
            try (InputStream in = blobResponse.body()) {
                patched = http.sendOnce(
                        call,
                        HttpRequest.newBuilder(upload)
                                .timeout(timeout)
                                .header("Content-Type", "application/octet-stream")
                                .method(
                                        "PATCH",
                                        BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> in), size)));
            } catch (IOException e) {
                throw new RetryableFailure(0, "reading the blob from " + source + ": " + e, Optional.empty(), e);
            }
            if (patched.statusCode() != 202 && patched.statusCode() != 204) {
                throw http.rejected(call, patched.statusCode(), RegistryHttp.answer(patched), null);
            }
            RegistryHttp.discard(patched);
            URI next = location(patched).orElse(upload);
            String separator = next.getRawQuery() == null ? "?" : "&";
            HttpResponse<InputStream> done = http.sendOnce(
                    call,
                    HttpRequest.newBuilder(
                                    URI.create(next + separator + "digest=" + RegistryHttp.encode(blob.digest())))
                            .timeout(http.requestTimeout())
                            .header("Content-Type", "application/octet-stream")
                            .PUT(BodyPublishers.noBody()));
            if (done.statusCode() != 201 && done.statusCode() != 204) {
                throw http.rejected(call, done.statusCode(), RegistryHttp.answer(done), null);
            }
            RegistryHttp.discard(done);
            return size;
        });
    }

    private URI startUpload(Call call) throws RetryableFailure {
        HttpResponse<InputStream> started = http.sendOnce(
                call,
                HttpRequest.newBuilder(RegistryHttp.uri(call.repository(), "blobs/uploads/"))
                        .timeout(http.requestTimeout())
                        .POST(BodyPublishers.noBody()));
        if (started.statusCode() != 202) {
            throw http.rejected(call, started.statusCode(), RegistryHttp.answer(started), null);
        }
        RegistryHttp.discard(started);
        return location(started)
                .orElseThrow(() -> http.rejected(call, 202, "202 without a Location for the upload", null));
    }

    /** GET of a blob, following a redirect to its storage without the registry's Authorization header. */
    private HttpResponse<InputStream> openBlob(Call read, URI uri) throws RetryableFailure {
        HttpResponse<InputStream> response = http.sendOnce(
                read, HttpRequest.newBuilder(uri).timeout(http.requestTimeout()).GET());
        for (int hops = 0; hops < 5 && isRedirect(response.statusCode()); hops++) {
            RegistryHttp.discard(response);
            URI next =
                    location(response).orElseThrow(() -> http.rejected(read, 307, "redirect without a Location", null));
            response = http.sendUnauthenticated(
                    read,
                    HttpRequest.newBuilder(next).timeout(http.requestTimeout()).GET());
        }
        if (response.statusCode() != 200) {
            throw http.rejected(read, response.statusCode(), RegistryHttp.answer(response), null);
        }
        return response;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private Manifest fetchManifest(ImageRepository source, String digest) {
        Call call = new Call(source, digest, "read the manifest", pull(source));
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
        Call call = new Call(target, reference, "put the manifest " + digest + " under", pushScopes(target, target));
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

    private static Optional<URI> location(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Location")
                .map(l -> response.request().uri().resolve(l));
    }

    private static List<String> pull(ImageRepository repository) {
        return List.of("repository:" + repository.path() + ":pull");
    }

    /** Push to the target, and pull from the source when a mount may name it. */
    private static List<String> pushScopes(ImageRepository source, ImageRepository target) {
        String push = "repository:" + target.path() + ":pull,push";
        return source.host().equals(target.host()) && !source.path().equals(target.path())
                ? List.of(push, "repository:" + source.path() + ":pull")
                : List.of(push);
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
