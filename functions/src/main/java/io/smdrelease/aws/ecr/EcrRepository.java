package io.smdrelease.aws.ecr;

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
