package io.smdrelease.registry;

import io.smdrelease.error.InvalidInputException;
import java.util.regex.Pattern;

/**
 * A repository written {@code host[:port]/path}: {@code 123456789012.dkr.ecr.us-east-1.amazonaws.com/smd},
 * {@code public.ecr.aws/alias/smd}, {@code 127.0.0.1:5000/team/smd}.
 *
 * @param host the registry host, with its port when it has one
 * @param path the repository path inside the registry (lower case, slash-separated components)
 */
public record ImageRepository(String host, String path) {
    /** A host name with at least one dot, or localhost, with an optional port; or an IPv4 address. */
    private static final Pattern HOST = Pattern.compile(
            "(?:localhost|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+)"
                    + "(?::[0-9]{1,5})?");
    /** The distribution spec's repository name grammar. */
    private static final Pattern PATH =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /**
     * Parses {@code host[:port]/path}.
     *
     * @throws InvalidInputException naming the value when it is not such a repository
     */
    public static ImageRepository parse(String uri) {
        int slash = uri == null ? -1 : uri.indexOf('/');
        if (slash <= 0) {
            throw new InvalidInputException("repository '" + uri + "' is not host[:port]/path"
                    + " (e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution)");
        }
        String host = uri.substring(0, slash);
        String path = uri.substring(slash + 1);
        if (!HOST.matcher(host).matches()) {
            throw new InvalidInputException("repository '" + uri + "' does not start with a registry host[:port]"
                    + " (e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution)");
        }
        if (!PATH.matcher(path).matches()) {
            throw new InvalidInputException("repository '" + uri + "' has an invalid path '" + path
                    + "': lower-case letters, digits and separators (. _ __ - /) only");
        }
        return new ImageRepository(host, path);
    }

    /** Returns {@code digest} when it is {@code sha256:<64 lower-case hex>}, else fails naming it. */
    public static String requireDigest(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new InvalidInputException("digest '" + digest + "' is not sha256:<64 lower-case hex digits>");
        }
        return digest;
    }

    /** Returns {@code tag} when it is a valid tag (letters, digits, _ . -, at most 128, not starting with . or -). */
    public static String requireTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new InvalidInputException("tag '" + tag + "' is not a valid image tag ([A-Za-z0-9_][A-Za-z0-9_.-]*,"
                    + " at most 128 characters)");
        }
        return tag;
    }

    /** Registries on the loopback interface, reached over plain http (tests, a laptop's registry). */
    public boolean isLocal() {
        String name = host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        return name.equals("localhost") || name.equals("127.0.0.1");
    }

    @Override
    public String toString() {
        return host + "/" + path;
    }
}
