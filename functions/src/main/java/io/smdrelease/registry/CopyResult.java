package io.smdrelease.registry;

/**
 * What one {@link RegistryClient#copy} did to {@code repository:tag}.
 *
 * @param repository    the target repository
 * @param tag           the target tag
 * @param digest        the manifest digest the tag now points to
 * @param skipped       the tag already pointed to the digest: nothing was transferred
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

    /** The result of a tag that already pointed to the digest. */
    public static CopyResult skipped(String repository, String tag, String digest) {
        return new CopyResult(repository, tag, digest, true, 0, 0, 0, 0, 0);
    }

    /** {@code repository:tag} as a reference. */
    public String target() {
        return repository + ":" + tag;
    }
}
