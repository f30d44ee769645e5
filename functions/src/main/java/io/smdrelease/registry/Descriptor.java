package io.smdrelease.registry;

/**
 * An OCI content descriptor: what a manifest, a signature or a referrer points to.
 *
 * @param mediaType the manifest's or blob's media type
 * @param digest    {@code sha256:<64 hex>}
 * @param size      its length in bytes
 */
public record Descriptor(String mediaType, String digest, long size) {}
