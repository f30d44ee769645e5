package io.smdrelease.oci;

import io.smdrelease.oci.RegistryHttp.Call;
import io.smdrelease.oci.RegistryHttp.RetryableFailure;
import io.smdrelease.registry.ImageRepository;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The blobs of an image manifest into a target repository: a HEAD each, then the missing ones mounted from the source
 * (same registry host) or streamed from it (the GET body is the PATCH body, never held in memory), a few at a time.
 */
final class BlobCopier {
    /** A streamed blob may take its size at this rate, plus the request timeout, before it is given up. */
    private static final long SLOWEST_BYTES_PER_SECOND = 1_000_000;

    private final RegistryHttp http;
    private final int parallelBlobs;

    BlobCopier(RegistryHttp http, int parallelBlobs) {
        this.http = http;
        this.parallelBlobs = parallelBlobs;
    }

    void copy(
            ImageRepository source,
            ImageRepository target,
            List<Manifest.Descriptor> blobs,
            OciRegistryClient.Tally tally) {
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

    private void copyBlob(
            ImageRepository source, ImageRepository target, Manifest.Descriptor blob, OciRegistryClient.Tally tally) {
        List<String> scopes = RegistryHttp.pushScopes(source, target);
        if (has(target, blob.digest(), scopes)) {
            tally.present.incrementAndGet();
            return;
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
            session = RegistryHttp.location(mounted);
        }
        long bytes = streamBlob(source, target, blob, session);
        tally.uploaded.incrementAndGet();
        tally.bytes.addAndGet(bytes);
    }

    /** Whether {@code repository} holds blob {@code digest} (a HEAD). */
    boolean has(ImageRepository repository, String digest, List<String> scopes) {
        Call head = new Call(repository, digest, "look for the blob", scopes);
        HttpResponse<InputStream> exists = http.send(
                head,
                HttpRequest.newBuilder(RegistryHttp.uri(repository, "blobs/" + digest))
                        .timeout(http.requestTimeout())
                        .method("HEAD", BodyPublishers.noBody()));
        RegistryHttp.discard(exists);
        if (exists.statusCode() != 200 && exists.statusCode() != 404) {
            throw http.rejected(head, exists.statusCode(), String.valueOf(exists.statusCode()), null);
        }
        return exists.statusCode() == 200;
    }

    /**
     * Uploads a small blob held in memory in one request (POST a session, PUT the bytes with the digest), unless the
     * repository has it. Returns whether it was uploaded.
     */
    boolean upload(ImageRepository target, String digest, byte[] content) {
        List<String> scopes = RegistryHttp.pushScopes(target, target);
        if (has(target, digest, scopes)) {
            return false;
        }
        Call call = new Call(target, digest, "upload the blob to", scopes);
        http.retrying(call, () -> {
            URI upload = startUpload(call);
            String separator = upload.getRawQuery() == null ? "?" : "&";
            HttpResponse<InputStream> done = http.sendOnce(
                    call,
                    HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + RegistryHttp.encode(digest)))
                            .timeout(http.requestTimeout())
                            .header("Content-Type", "application/octet-stream")
                            .PUT(BodyPublishers.ofByteArray(content)));
            if (done.statusCode() != 201 && done.statusCode() != 204) {
                throw http.rejected(call, done.statusCode(), RegistryHttp.answer(done), null);
            }
            RegistryHttp.discard(done);
            return digest;
        });
        return true;
    }

    /**
     * Reads a small blob whole (at most {@code size} bytes are kept: a longer body is cut, so its digest fails the
     * caller's check instead of filling the memory).
     */
    byte[] read(ImageRepository repository, String digest, long size) {
        Call read = new Call(repository, digest, "read the blob", RegistryHttp.pull(repository));
        return http.retrying(read, () -> {
            HttpResponse<InputStream> response = openBlob(read, RegistryHttp.uri(repository, "blobs/" + digest));
            try (InputStream in = response.body()) {
                return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, Math.max(size, 0) + 1));
            } catch (IOException e) {
                throw new RetryableFailure(0, e.toString(), Optional.empty(), e);
            }
        });
    }

    /**
     * Streams one blob from the source into an upload session of the target (the given one, else a new one): the GET
     * body is the PATCH body. A failure of any step starts over with a new session, within the retry policy.
     */
    private long streamBlob(
            ImageRepository source, ImageRepository target, Manifest.Descriptor blob, Optional<URI> firstSession) {
        Call call = new Call(
                target, blob.digest(), "copy the blob from " + source + " to", RegistryHttp.pushScopes(source, target));
        Call read = new Call(source, blob.digest(), "read the blob", RegistryHttp.pull(source));
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
            URI next = RegistryHttp.location(patched).orElse(upload);
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
        return RegistryHttp.location(started)
                .orElseThrow(() -> http.rejected(call, 202, "202 without a Location for the upload", null));
    }

    /** GET of a blob, following a redirect to its storage without the registry's Authorization header. */
    private HttpResponse<InputStream> openBlob(Call read, URI uri) throws RetryableFailure {
        HttpResponse<InputStream> response = http.sendOnce(
                read, HttpRequest.newBuilder(uri).timeout(http.requestTimeout()).GET());
        for (int hops = 0; hops < 5 && isRedirect(response.statusCode()); hops++) {
            RegistryHttp.discard(response);
            URI next = RegistryHttp.location(response)
                    .orElseThrow(() -> http.rejected(read, 307, "redirect without a Location", null));
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
}
