package io.smdrelease.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The service provider interface of {@link BucketStore}: a flat namespace of keyed objects, each with an ETag that
 * changes whenever the object does, and conditional writes on it. Keys are full object keys (the store adds its
 * prefix). S3 is the production implementation ({@code io.smdrelease.aws.s3}); tests also use an in-memory one.
 *
 * <p>"Not found" and a failed precondition are answers ({@link Optional#empty()}, {@code false}); every other failure
 * is a {@link StoreException} naming the operation and {@link #uri(String) the object}.
 */
public interface ObjectBucket {

    /** The object's address for messages, e.g. {@code s3://bucket/key}. */
    String uri(String key);

    /** The object with its ETag, last-modified time and user metadata, or empty when there is none. */
    Optional<StoredObject> get(String key);

    /** The object's ETag, last-modified time, size and user metadata, or empty when there is none. */
    Optional<ObjectHead> head(String key);

    /** Writes the object unconditionally and returns its new ETag. */
    String put(String key, byte[] content, Map<String, String> metadata);

    /** Writes the object only if no object has the key; returns its ETag, or empty when one exists. */
    Optional<String> putIfAbsent(String key, byte[] content, Map<String, String> metadata);

    /** Writes the object only if its ETag is still {@code eTag}; returns its new ETag, or empty when it changed. */
    Optional<String> putIfMatch(String key, byte[] content, Map<String, String> metadata, String eTag);

    /** Deletes the object only if its ETag is still {@code eTag}; {@code false} when it changed or is gone. */
    boolean deleteIfMatch(String key, String eTag);

    /** Deletes the objects (absent ones are no error), in as few requests as the service allows. */
    void deleteAll(Collection<String> keys);

    /** Every object whose key starts with {@code keyPrefix}, following every continuation page, in key order. */
    List<ListedObject> list(String keyPrefix);

    /** Whether any object's key starts with {@code keyPrefix} (one small request). */
    boolean hasObjectsUnder(String keyPrefix);

    /**
     * One level below {@code keyPrefix} (which is empty or ends with {@code /}): the objects directly there and the
     * common prefixes (each ending with {@code /}) of the deeper ones, following every continuation page.
     */
    Listing listOneLevel(String keyPrefix);

    /** A whole object. */
    record StoredObject(byte[] content, String eTag, Instant lastModified, Map<String, String> metadata) {
        public StoredObject {
            metadata = Map.copyOf(metadata);
        }
    }

    /** An object's attributes without its content. */
    record ObjectHead(String eTag, Instant lastModified, long size, Map<String, String> metadata) {
        public ObjectHead {
            metadata = Map.copyOf(metadata);
        }
    }

    /** A listing entry. */
    record ListedObject(String key, long size) {}

    /** A one-level listing. */
    record Listing(List<ListedObject> objects, List<String> commonPrefixes) {
        public Listing {
            objects = List.copyOf(objects);
            commonPrefixes = List.copyOf(commonPrefixes);
        }
    }

    /** Whether two ETags are the same, ignoring the quotes some services put around them. */
    static boolean sameETag(String a, String b) {
        return a != null && b != null && a.replace("\"", "").equals(b.replace("\"", ""));
    }
}
