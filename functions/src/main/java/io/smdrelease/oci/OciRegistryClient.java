package io.smdrelease.oci;

import io.smdrelease.registry.CopyResult;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.ImageRepository;
import io.smdrelease.registry.Referrer;
import io.smdrelease.registry.RegistryClient;
import java.net.http.HttpClient;
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
 * PUT under the tag. A manifest the target already holds by digest is only tagged: its blobs are there. Without a tag
 * the manifest is PUT under its digest, and nothing is done when the target holds it.
 *
 * <p>Referrers ({@link #pushReferrer}, {@link #readReferrer}) are pushed and read by digest; see {@link Referrers}.
 */
public final class OciRegistryClient implements RegistryClient {
    /** Blobs transferred at the same time per manifest. */
    public static final int DEFAULT_PARALLEL_BLOBS = 4;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final BlobCopier blobs;
    private final ManifestRequests manifests;
    private final Referrers referrers;

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
        RegistryHttp http = new RegistryHttp(client, credentials, retry, REQUEST_TIMEOUT, Clock.systemUTC());
        this.blobs = new BlobCopier(http, parallelBlobs);
        this.manifests = new ManifestRequests(http);
        this.referrers = new Referrers(http, manifests, blobs);
    }

    @Override
    public Optional<String> digestOf(String repository, String tag) {
        ImageRepository repo = ImageRepository.parse(repository);
        ImageRepository.requireTag(tag);
        return manifests.head(repo, tag, "read the tag", RegistryHttp.pull(repo));
    }

    @Override
    public CopyResult copy(String sourceRepository, String digest, String targetRepository, String tag) {
        ImageRepository source = ImageRepository.parse(sourceRepository);
        ImageRepository target = ImageRepository.parse(targetRepository);
        ImageRepository.requireDigest(digest);
        if (tag != null) {
            ImageRepository.requireTag(tag);
        }
        List<String> scopes = RegistryHttp.pushScopes(source, target);
        boolean done = tag == null
                ? manifests.has(target, digest, scopes)
                : manifests
                        .head(target, tag, "read the tag", scopes)
                        .filter(digest::equals)
                        .isPresent();
        if (done) {
            return CopyResult.skipped(target.toString(), tag, digest);
        }
        Tally tally = new Tally();
        // without a tag the target lacks the manifest (just asked); a tag may be moving to a manifest it holds
        copyManifest(source, target, digest, tag == null ? digest : tag, tag != null, tally);
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

    @Override
    public Descriptor describe(String repository, String digest) {
        return manifests.describe(ImageRepository.parse(repository), ImageRepository.requireDigest(digest));
    }

    @Override
    public String pushReferrer(String repository, Referrer referrer) {
        return referrers.push(ImageRepository.parse(repository), referrer);
    }

    @Override
    public Referrer readReferrer(String repository, String manifestDigest) {
        return referrers.read(ImageRepository.parse(repository), ImageRepository.requireDigest(manifestDigest));
    }

    /** What one copy did, summed over an index's children and the blobs copied in parallel. */
    static final class Tally {
        final AtomicInteger manifests = new AtomicInteger();
        final AtomicInteger present = new AtomicInteger();
        final AtomicInteger mounted = new AtomicInteger();
        final AtomicInteger uploaded = new AtomicInteger();
        final AtomicLong bytes = new AtomicLong();
    }

    /**
     * Copies manifest {@code digest} (and what it refers to) and puts it under {@code reference}; when the target
     * {@code mayHoldIt}, it is asked first, and a manifest it holds is only put (its blobs are there).
     */
    private void copyManifest(
            ImageRepository source,
            ImageRepository target,
            String digest,
            String reference,
            boolean mayHoldIt,
            Tally tally) {
        List<String> scopes = RegistryHttp.pushScopes(source, target);
        Manifest manifest = manifests.fetch(source, digest, "read the manifest");
        if (!mayHoldIt || !manifests.has(target, digest, scopes)) {
            if (manifest.isIndex()) {
                for (Manifest.Descriptor child : manifest.children()) {
                    if (!manifests.has(target, child.digest(), scopes)) {
                        copyManifest(source, target, child.digest(), child.digest(), false, tally);
                    }
                }
            } else {
                blobs.copy(source, target, manifest.blobs(), tally);
            }
        }
        manifests.put(target, reference, digest, manifest.mediaType(), manifest.raw());
        tally.manifests.incrementAndGet();
    }
}
