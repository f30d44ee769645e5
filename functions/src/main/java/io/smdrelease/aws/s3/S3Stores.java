package io.smdrelease.aws.s3;

import io.smdrelease.store.BucketStore;
import java.time.Clock;
import software.amazon.awssdk.services.s3.S3Client;

/** Opens the {@link BucketStore} of an S3 location: the one way the CLI and the Lambda handlers get a bucket store. */
public final class S3Stores {
    private S3Stores() {}

    /**
     * The store at {@code s3://bucket[/prefix]} with a client from {@link S3Clients#builder} (region and credentials
     * from the environment, {@code AWS_ENDPOINT_URL} honoured), kept for the life of the process.
     *
     * @throws io.smdrelease.error.InvalidInputException naming the value when the URI is not a valid bucket location
     */
    public static BucketStore open(String uri) {
        S3Location location = S3Location.parse(uri);
        return open(location, S3Clients.builder().build(), Clock.systemUTC());
    }

    /** The store at {@code location} on {@code s3} (the caller owns the client). */
    public static BucketStore open(S3Location location, S3Client s3, Clock clock) {
        return new BucketStore(new S3ObjectBucket(s3, location.bucket()), location.prefix(), clock);
    }

    /** The store in {@code bucket} under {@code prefix} on {@code s3} (the caller owns the client). */
    public static BucketStore open(S3Client s3, String bucket, String prefix, Clock clock) {
        return new BucketStore(new S3ObjectBucket(s3, bucket), prefix, clock);
    }
}
