package io.smdrelease.aws.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.store.BucketStore;
import io.smdrelease.testsupport.MutableClock;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Parsing and validation of s3:// locations; no requests are sent. */
class S3LocationTest {

    @Test
    void parsesBucketAndPrefix() {
        assertEquals(new S3Location("my-bucket", ""), S3Location.parse("s3://my-bucket"));
        assertEquals(new S3Location("my-bucket", ""), S3Location.parse("s3://my-bucket/"));
        assertEquals(new S3Location("my.bucket-1", "a/b/"), S3Location.parse("s3://my.bucket-1/a/b"));
        assertEquals(new S3Location("abc", "releases/"), S3Location.parse("s3://abc/releases/"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "s3://ab",
                "s3://My-Bucket",
                "s3://-bucket",
                "s3://bucket-",
                "s3://my..bucket",
                "s3://192.168.1.1",
                "s3://under_score",
                "s3://xn--bucket",
                "s3://b-s3alias",
                "s3://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "s3://"
            })
    void rejectsBadBucketNamesNamingTheValue(String uri) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> S3Location.parse(uri));
        assertTrue(e.getMessage().contains(uri), e.getMessage());
        assertTrue(e.getMessage().contains("bucket"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "s3://bucket/a//b",
                "s3://bucket//a",
                "s3://bucket/a/../b",
                "s3://bucket/..",
                "s3://bucket/a/./b",
                "s3://bucket/a\\b"
            })
    void rejectsBadPrefixesNamingTheValue(String uri) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> S3Location.parse(uri));
        assertTrue(e.getMessage().contains(uri), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bucket/a", "https://bucket.s3.amazonaws.com/a", "S3://bucket", ""})
    void rejectsOtherSchemes(String uri) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> S3Location.parse(uri));
        assertTrue(e.getMessage().contains("s3://bucket[/prefix]"), e.getMessage());
    }

    @Test
    void keysAndLocation() {
        try (S3Client s3 = S3Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .endpointOverride(URI.create("http://127.0.0.1:9"))
                .build()) {
            BucketStore store =
                    S3Stores.open(S3Location.parse("s3://bucket/root"), s3, new MutableClock(Instant.EPOCH));
            assertEquals("s3://bucket/root/", store.location());
            assertEquals(
                    "root/build_artifacts/v4/v4.4/v4.4.1/cpu.env.in",
                    store.key("build_artifacts/v4/v4.4/v4.4.1/cpu.env.in"));
            assertThrows(IllegalArgumentException.class, () -> store.key("a/../b"));
            assertThrows(IllegalArgumentException.class, () -> store.key("/abs"));
            BucketStore bare = S3Stores.open(s3, "bucket", null, new MutableClock(Instant.EPOCH));
            assertEquals("s3://bucket/", bare.location());
            assertEquals("x/y", bare.key("x/y"));
            assertThrows(
                    InvalidInputException.class,
                    () -> S3Stores.open(s3, "bucket", "a//b", new MutableClock(Instant.EPOCH)));
        }
    }
}
