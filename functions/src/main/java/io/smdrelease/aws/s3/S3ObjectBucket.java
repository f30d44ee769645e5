package io.smdrelease.aws.s3;

import io.smdrelease.store.ObjectBucket;
import io.smdrelease.store.StoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectBucket} on one S3 bucket: conditional writes are {@code If-None-Match: *} and {@code If-Match} on
 * PutObject and DeleteObject, listings are ListObjectsV2 pages followed to the end. SDK failures other than "not
 * found" and a failed precondition become {@link StoreException}s naming the operation and {@code s3://bucket/key}.
 */
public final class S3ObjectBucket implements ObjectBucket {
    public static final int DEFAULT_PAGE_SIZE = 1000;
    /** DeleteObjects takes at most this many keys per request. */
    private static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final String bucket;
    private final int pageSize;

    /** @param s3 the client (the caller owns it and closes it) */
    public S3ObjectBucket(S3Client s3, String bucket) {
        this(s3, bucket, DEFAULT_PAGE_SIZE);
    }

    private S3ObjectBucket(S3Client s3, String bucket, int pageSize) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = S3Location.checkBucket(bucket, bucket);
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be 1..1000: " + pageSize);
        }
        this.pageSize = pageSize;
    }

    /** The same bucket listing {@code pageSize} keys per ListObjectsV2 page (1..1000). */
    public S3ObjectBucket withPageSize(int pageSize) {
        return new S3ObjectBucket(s3, bucket, pageSize);
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        try {
            ResponseBytes<GetObjectResponse> object =
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            GetObjectResponse r = object.response();
            return Optional.of(new StoredObject(object.asByteArray(), r.eTag(), r.lastModified(), r.metadata()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("GetObject", key, e);
        }
    }

    @Override
    public Optional<ObjectHead> head(String key) {
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new ObjectHead(r.eTag(), r.lastModified(), r.contentLength(), r.metadata()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) { // HEAD answers have no body, so no NoSuchKey code
                return Optional.empty();
            }
            throw failure("HeadObject", key, e);
        } catch (SdkException e) {
            throw failure("HeadObject", key, e);
        }
    }

    @Override
    public String put(String key, byte[] content, Map<String, String> metadata) {
        try {
            return s3.putObject(request(key, metadata).build(), RequestBody.fromBytes(content))
                    .eTag();
        } catch (SdkException e) {
            throw failure("PutObject", key, e);
        }
    }

    @Override
    public Optional<String> putIfAbsent(String key, byte[] content, Map<String, String> metadata) {
        return conditionalPut(key, content, request(key, metadata).ifNoneMatch("*"), "PutObject (If-None-Match: *)");
    }

    @Override
    public Optional<String> putIfMatch(String key, byte[] content, Map<String, String> metadata, String eTag) {
        return conditionalPut(key, content, request(key, metadata).ifMatch(eTag), "PutObject (If-Match)");
    }

    private PutObjectRequest.Builder request(String key, Map<String, String> metadata) {
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(key);
        return metadata.isEmpty() ? b : b.metadata(metadata);
    }

    private Optional<String> conditionalPut(
            String key, byte[] content, PutObjectRequest.Builder request, String operation) {
        try {
            return Optional.of(s3.putObject(request.build(), RequestBody.fromBytes(content))
                    .eTag());
        } catch (S3Exception e) {
            if (isConditionFailure(e)) {
                return Optional.empty();
            }
            throw failure(operation, key, e);
        } catch (SdkException e) {
            throw failure(operation, key, e);
        }
    }

    @Override
    public boolean deleteIfMatch(String key, String eTag) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch(eTag));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (isConditionFailure(e) || e.statusCode() == 404) {
                return false;
            }
            throw failure("DeleteObject (If-Match)", key, e);
        } catch (SdkException e) {
            throw failure("DeleteObject (If-Match)", key, e);
        }
    }

    @Override
    public void deleteAll(Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> ids = all.subList(from, Math.min(all.size(), from + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build())
                    .toList();
            DeleteObjectsResponse r;
            try {
                r = s3.deleteObjects(b -> b.bucket(bucket)
                        .delete(Delete.builder().objects(ids).quiet(true).build()));
            } catch (SdkException e) {
                throw failure("DeleteObjects", ids.get(0).key() + " (and " + (ids.size() - 1) + " more)", e);
            }
            if (r.hasErrors() && !r.errors().isEmpty()) {
                var err = r.errors().get(0);
                throw new StoreException(
                        "DeleteObjects " + uri(err.key()) + " failed: " + err.code() + " " + err.message() + " ("
                                + r.errors().size() + " errors)",
                        null);
            }
        }
    }

    @Override
    public List<ListedObject> list(String keyPrefix) {
        List<ListedObject> out = new ArrayList<>();
        listPages(keyPrefix, null, out, null);
        return out;
    }

    @Override
    public boolean hasObjectsUnder(String keyPrefix) {
        try {
            ListObjectsV2Response r =
                    s3.listObjectsV2(b -> b.bucket(bucket).prefix(keyPrefix).maxKeys(1));
            return r.hasContents() && !r.contents().isEmpty();
        } catch (SdkException e) {
            throw failure("ListObjectsV2", keyPrefix, e);
        }
    }

    @Override
    public Listing listOneLevel(String keyPrefix) {
        List<ListedObject> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        listPages(keyPrefix, "/", objects, prefixes);
        return new Listing(objects, prefixes);
    }

    /** Follows ListObjectsV2 continuation tokens to the last page. */
    private void listPages(String keyPrefix, String delimiter, List<ListedObject> objects, List<String> prefixes) {
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response r;
            try {
                r = s3.listObjectsV2(b -> b.bucket(bucket)
                        .prefix(keyPrefix)
                        .delimiter(delimiter)
                        .maxKeys(pageSize)
                        .continuationToken(t));
            } catch (SdkException e) {
                throw failure("ListObjectsV2", keyPrefix, e);
            }
            for (S3Object o : r.contents()) {
                objects.add(new ListedObject(o.key(), o.size() == null ? 0 : o.size()));
            }
            if (prefixes != null) {
                r.commonPrefixes().stream().map(CommonPrefix::prefix).forEach(prefixes::add);
            }
            boolean truncated = Boolean.TRUE.equals(r.isTruncated());
            token = truncated ? r.nextContinuationToken() : null;
            if (truncated && token == null) {
                throw new StoreException(
                        "ListObjectsV2 " + uri(keyPrefix) + " answered a truncated page without a continuation token",
                        null);
            }
        } while (token != null);
    }

    /** 412 PreconditionFailed, or 409 ConditionalRequestConflict (a concurrent conditional write on the key). */
    private static boolean isConditionFailure(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409;
    }

    private StoreException failure(String operation, String key, SdkException e) {
        return new StoreException(operation + " " + uri(key) + " failed: " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "S3ObjectBucket[" + bucket + "]";
    }
}
