package io.smdrelease.cdk;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The artifact bucket (keys mirror the distribution repository: build_artifacts/, template/, assets/, test/) and the
 * bucket that receives its server access logs. Both are retained when the stack is deleted: they hold releases.
 */
public final class ArtifactStorage extends Construct {
    static final int ACCESS_LOG_EXPIRATION_DAYS = 365;
    static final int INCOMPLETE_UPLOAD_DAYS = 7;
    /** Days a left-over signing object lives: signing takes seconds. */
    static final int SIGNING_OBJECT_DAYS = 1;

    private final Bucket bucket;
    private final Bucket accessLogs;

    public ArtifactStorage(Construct scope, String id, int noncurrentVersionExpirationDays) {
        super(scope, id);
        accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-access-logs")
                        .expiration(Duration.days(ACCESS_LOG_EXPIRATION_DAYS))
                        .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Nag.acknowledge(
                accessLogs,
                "AwsSolutions-S1",
                "This bucket is the access-log target of the artifact bucket; logging it would need yet another log"
                        + " bucket with the same finding.");

        bucket = Bucket.Builder.create(this, "Bucket")
                .versioned(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("artifact-bucket/")
                .lifecycleRules(List.of(
                        LifecycleRule.builder()
                                .id("expire-noncurrent-versions")
                                .noncurrentVersionExpiration(Duration.days(noncurrentVersionExpirationDays))
                                .abortIncompleteMultipartUploadAfter(Duration.days(INCOMPLETE_UPLOAD_DAYS))
                                .build(),
                        // what a signing job wrote after its signer gave up on it, or a signer that was stopped
                        // midway left: the signer deletes its objects itself otherwise
                        LifecycleRule.builder()
                                .id("expire-signing-objects")
                                .prefix(SigningProfile.OBJECTS)
                                .expiration(Duration.days(SIGNING_OBJECT_DAYS))
                                .build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    public IBucket bucket() {
        return bucket;
    }

    public IBucket accessLogs() {
        return accessLogs;
    }
}
