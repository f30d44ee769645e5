package io.smdrelease.aws.s3;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.store.BucketStore;
import java.util.regex.Pattern;

/**
 * A parsed {@code s3://bucket[/prefix][/]}: the bucket and the key prefix of the store's root ({@code ""} or ending
 * with {@code /}).
 */
public record S3Location(String bucket, String prefix) {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * Parses {@code s3://bucket[/prefix][/]}.
     *
     * @throws InvalidInputException naming the value when it is not an s3 URI, the bucket name breaks S3's naming
     *                               rules, or the prefix has an empty, '.' or '..' segment
     */
    public static S3Location parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new InvalidInputException("not an s3://bucket[/prefix] URI: " + uri);
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        return new S3Location(checkBucket(bucket, uri), BucketStore.keyPrefix(prefix, uri));
    }

    /** {@code s3://bucket/prefix/}. */
    public String uri() {
        return "s3://" + bucket + "/" + prefix;
    }

    /** The key of a store path below this location. */
    public String key(String path) {
        return prefix + path;
    }

    /**
     * Returns {@code bucket} when it follows S3's bucket naming rules.
     *
     * @param what where the name comes from, for the message
     */
    static String checkBucket(String bucket, String what) {
        if (bucket == null
                || !BUCKET.matcher(bucket).matches()
                || bucket.contains("..")
                || IPV4.matcher(bucket).matches()
                || bucket.startsWith("xn--")
                || bucket.startsWith("sthree-")
                || bucket.endsWith("-s3alias")
                || bucket.endsWith("--ol-s3")) {
            throw new InvalidInputException("invalid S3 bucket name '" + bucket + "' in " + what
                    + ": 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit,"
                    + " not an IP address");
        }
        return bucket;
    }
}
