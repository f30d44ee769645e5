package io.smdrelease.oci;

import io.smdrelease.oci.RegistryHttp.Call;
import io.smdrelease.registry.Descriptor;
import io.smdrelease.registry.ImageRepository;
import io.smdrelease.registry.Referrer;
import io.smdrelease.registry.RegistryRejectedException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes and reads referrers (OCI 1.1 artifacts that point at an image with {@code subject}), by digest only. The
 * referrers API and its fallback tag are not used: whoever pushes a referrer records its digest.
 */
final class Referrers {
    private final RegistryHttp http;
    private final ManifestRequests manifests;
    private final BlobCopier blobs;

    Referrers(RegistryHttp http, ManifestRequests manifests, BlobCopier blobs) {
        this.http = http;
        this.manifests = manifests;
        this.blobs = blobs;
    }

    /**
     * A manifest the repository already holds is left alone (its blobs are there); else the empty config and each
     * layer the repository lacks are uploaded, then the manifest is PUT under its digest.
     */
    String push(ImageRepository repository, Referrer referrer) {
        ReferrerManifest manifest = ReferrerManifest.of(referrer);
        byte[] raw = manifest.bytes();
        String digest = ManifestRequests.sha256(raw);
        if (manifests.has(repository, digest, RegistryHttp.pushScopes(repository, repository))) {
            return digest;
        }
        blobs.upload(repository, ReferrerManifest.EMPTY_CONFIG.digest(), ReferrerManifest.emptyConfigContent());
        for (int i = 0; i < referrer.layers().size(); i++) {
            blobs.upload(
                    repository,
                    manifest.layers().get(i).digest(),
                    referrer.layers().get(i).content());
        }
        manifests.put(repository, digest, digest, Manifest.OCI_MANIFEST, raw);
        return digest;
    }

    /** The referrer of manifest {@code digest}, each layer read whole and checked against its digest and size. */
    Referrer read(ImageRepository repository, String digest) {
        Manifest served = manifests.fetch(repository, digest, "read the referrer");
        Call call = new Call(repository, digest, "read the referrer", RegistryHttp.pull(repository));
        ReferrerManifest manifest;
        try {
            manifest = ReferrerManifest.parse(served.raw());
        } catch (IllegalArgumentException e) {
            throw new RegistryRejectedException(
                    repository.toString(),
                    digest,
                    200,
                    e.getMessage(),
                    "The manifest " + call.target() + " is not a referrer: " + e.getMessage(),
                    e);
        }
        List<byte[]> contents = new ArrayList<>();
        for (Descriptor layer : manifest.layers()) {
            byte[] content = blobs.read(repository, layer.digest(), layer.size());
            String actual = ManifestRequests.sha256(content);
            if (!actual.equals(layer.digest()) || content.length != layer.size()) {
                Call blob = new Call(repository, layer.digest(), "read the blob", RegistryHttp.pull(repository));
                throw http.rejected(
                        blob,
                        200,
                        "a blob whose digest is " + actual + " and size " + content.length + " (the referrer " + digest
                                + " says size " + layer.size() + ")",
                        null);
            }
            contents.add(content);
        }
        return manifest.withContent(contents);
    }
}
