package io.smdrelease.registry;

import java.util.Optional;

/**
 * The registry operations a promotion needs. Repositories are written {@code host[:port]/path} (ECR, ECR Public, a
 * local registry); digests {@code sha256:<64 hex>}. Implementations retry transient failures within a bound and then
 * throw {@link RegistryUnavailableException}; a refusal (401, 403, 404, 400) is a {@link RegistryRejectedException}.
 */
public interface RegistryClient {

    /** The manifest digest {@code repository:tag} points to, or empty when the tag does not exist. */
    Optional<String> digestOf(String repository, String tag);

    /**
     * Makes {@code targetRepository:tag} point at exactly the manifest {@code digest} of {@code sourceRepository}: the
     * manifest bytes are copied unchanged, so the digest is preserved (an image index with its child manifests).
     * Only blobs the target lacks are transferred: mounted from the source when both are on the same registry host,
     * else streamed. A tag already on the digest is {@linkplain CopyResult#skipped() skipped} without blob traffic.
     * A {@code null} tag copies the manifest by its digest only (a referrer such as a signature, which has no tag);
     * skipped when the target already holds the digest.
     */
    CopyResult copy(String sourceRepository, String digest, String targetRepository, String tag);

    /** The descriptor (media type, digest, size) of manifest {@code digest} in {@code repository}. */
    Descriptor describe(String repository, String digest);

    /**
     * Pushes {@code referrer}'s blobs (the empty config and its layers) and its manifest by digest, without a tag, and
     * returns the manifest's digest. The manifest is serialized the same way every time, so pushing the same referrer
     * again yields the same digest and changes nothing.
     */
    String pushReferrer(String repository, Referrer referrer);

    /**
     * Reads back the referrer whose manifest is {@code manifestDigest}: its artifact type, subject, annotations and
     * layers with their bytes, each checked against its digest.
     *
     * @throws RegistryRejectedException when the manifest is missing or is not a referrer
     */
    Referrer readReferrer(String repository, String manifestDigest);
}
