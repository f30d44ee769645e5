package io.smdrelease.aws.ecr;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.registry.ImageRepository;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private ECR repository named by its URI, {@code <account>.dkr.ecr.<region>.amazonaws.com/<name>}.
 *
 * @param account the 12-digit registry (account) id
 * @param region  the repository's region
 * @param name    the repository name, possibly with slashes
 */
public record EcrRepository(String account, String region, String name) {
    private static final Pattern PRIVATE_ECR = Pattern.compile(
            "([0-9]{12})\\.dkr\\.ecr\\.([a-z]{2}(?:-[a-z]+)+-[0-9]{1,2})\\.amazonaws\\.com(?:\\.cn)?/([a-z0-9][a-z0-9._/-]*)");

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");

    /**
     * Whether {@code uri} names an image repository a release can push to (any registry, without tag or digest): the
     * registry client's own rule ({@link ImageRepository#parse}).
     */
    public static boolean isRepositoryUri(String uri) {
        try {
            ImageRepository.parse(uri);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    /** Whether {@code name} is an AWS region name such as {@code us-east-1}. */
    public static boolean isRegion(String name) {
        return name != null && REGION.matcher(name).matches();
    }

    /** The repository a URI names, or empty when it is not a private ECR repository (ECR Public, another registry). */
    public static Optional<EcrRepository> parse(String uri) {
        Matcher m = PRIVATE_ECR.matcher(uri);
        return m.matches() ? Optional.of(new EcrRepository(m.group(1), m.group(2), m.group(3))) : Optional.empty();
    }

    /** The first private ECR repository of a list of repository URIs: the staging repository of the size gate. */
    public static Optional<EcrRepository> firstPrivate(List<String> uris) {
        return uris.stream().map(EcrRepository::parse).flatMap(Optional::stream).findFirst();
    }
}
