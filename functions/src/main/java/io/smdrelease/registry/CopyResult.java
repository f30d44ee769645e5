package io.smdrelease.registry;

/**
 * What one {@link RegistryClient#copy} did to {@code repository:tag}, or to {@code repository@digest} for a copy by
 * digest only.
 *
 * @param repository    the target repository
 * @param tag           the target tag; {@code null} for a copy by digest only (a referrer)
 * @param digest        the manifest digest the tag now points to (the manifest the repository now holds)
 * @param skipped       the tag already pointed to the digest (without a tag: the repository already held the
 *                      manifest): nothing was transferred
 * @param manifestsPut  manifests written (1 for an image, 1 + new children for an index, 0 when skipped)
 * @param blobsPresent  blobs the target already had (a HEAD each, no bytes)
 * @param blobsMounted  blobs mounted from the source repository on the same registry (no bytes)
 * @param blobsUploaded blobs streamed from the source registry
 * @param bytesUploaded the size of the streamed blobs
 */
public record CopyResult(
        String repository,
        String tag,
        String digest,
        boolean skipped,
        int manifestsPut,
        int blobsPresent,
        int blobsMounted,
        int blobsUploaded,
        long bytesUploaded) {

    /** The result of a tag that already pointed to the digest (a {@code null} tag: a manifest already held). */
    public static CopyResult skipped(String repository, String tag, String digest) {
        return new CopyResult(repository, tag, digest, true, 0, 0, 0, 0, 0);
    }

    /** {@code repository:tag} as a reference; {@code repository@digest} for a copy by digest only. */
    public String target() {
        return tag == null ? repository + "@" + digest : repository + ":" + tag;
    }
}
