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
     */
    CopyResult copy(String sourceRepository, String digest, String targetRepository, String tag);
}
