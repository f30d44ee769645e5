package io.smdrelease.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.smdrelease.aws.ecr.EcrRepository;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.version.ReleaseType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The release state machine's input (docs/contract.md), validated: every field has its type, unknown fields are
 * refused (a typo must not silently become a default), and values that end up in store keys or CodeBuild environments
 * are checked against strict patterns.
 *
 * @param releaseType      {@code null} when {@code targetPatchVersion} names an existing version to build
 * @param imageTypes       {@code null} for every image type of the version's major
 * @param validateSize     run the size gate after the builds; needs a private ECR repository in
 *                         {@code targetEcrRepos}, the first of which is the staging repository the gate reads
 */
public record ReleaseInput(
        ReleaseType releaseType,
        String basePatchVersion,
        String targetPatchVersion,
        String preReleaseIdentifier,
        boolean force,
        boolean skipTests,
        List<String> targetEcrRepos,
        String region,
        List<String> imageTypes,
        boolean updateNightlySchedule,
        boolean validateSize) {

    private static final Set<String> FIELDS = Set.of(
            "releaseType",
            "basePatchVersion",
            "targetPatchVersion",
            "preReleaseIdentifier",
            "force",
            "skipTests",
            "targetEcrRepos",
            "region",
            "imageTypes",
            "updateNightlySchedule",
            "validateSize");
    /** {@code registry[:port]/repository[/more]}: ECR, ECR Public or a local registry. */
    private static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?/[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*");

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern IMAGE_TYPE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern VERSION_TEXT = Pattern.compile("[0-9A-Za-z.+-]{1,64}");

    public ReleaseInput {
        targetEcrRepos = List.copyOf(targetEcrRepos);
        imageTypes = imageTypes == null ? null : List.copyOf(imageTypes);
    }

    /** Whether the input asks to build an existing version rather than create one. */
    public boolean buildsExistingVersion() {
        return targetPatchVersion != null;
    }

    /**
     * Reads and validates the execution input.
     *
     * @throws InvalidInputException naming the field, the value and what is allowed
     */
    public static ReleaseInput parse(JsonNode input) {
        if (input == null || !input.isObject()) {
            throw new InvalidInputException("the release input must be a JSON object such as"
                    + " {\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\"}");
        }
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = input.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidInputException(
                    "unknown input field(s) " + unknown + ": allowed are " + new java.util.TreeSet<>(FIELDS));
        }
        String releaseType = string(input, "releaseType");
        String base = versionText(input, "basePatchVersion");
        String target = versionText(input, "targetPatchVersion");
        String pre = string(input, "preReleaseIdentifier");
        if (target != null) {
            if (releaseType != null || base != null || pre != null) {
                throw new InvalidInputException("targetPatchVersion builds an existing version and goes alone:"
                        + " drop releaseType, basePatchVersion and preReleaseIdentifier, or drop targetPatchVersion");
            }
        } else if (releaseType == null || base == null) {
            throw new InvalidInputException("the input needs releaseType (patch, minor or major) and basePatchVersion"
                    + " (a version, latest or latest-X.Y), or targetPatchVersion alone to build an existing version");
        }
        List<String> repos = strings(input, "targetEcrRepos");
        for (String repo : repos) {
            if (!REPOSITORY.matcher(repo).matches() || repo.contains("..")) {
                throw new InvalidInputException("targetEcrRepos entry '" + repo + "' is not a repository URI such as"
                        + " 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution");
            }
        }
        if (new LinkedHashSet<>(repos).size() != repos.size()) {
            throw new InvalidInputException("targetEcrRepos lists a repository twice: " + repos);
        }
        String region = string(input, "region");
        if (region != null && !REGION.matcher(region).matches()) {
            throw new InvalidInputException("region '" + region + "' is not an AWS region such as us-east-1");
        }
        List<String> imageTypes = input.has("imageTypes") ? strings(input, "imageTypes") : null;
        if (imageTypes != null) {
            if (imageTypes.isEmpty() || new LinkedHashSet<>(imageTypes).size() != imageTypes.size()) {
                throw new InvalidInputException(
                        "imageTypes must list distinct image types, e.g. [\"cpu\",\"gpu\"], or be left out for all");
            }
            for (String type : imageTypes) {
                if (!IMAGE_TYPE.matcher(type).matches()) {
                    throw new InvalidInputException(
                            "imageTypes entry '" + type + "' is not an image type such as cpu or gpu");
                }
            }
        }
        boolean validateSize = bool(input, "validateSize");
        if (validateSize && EcrRepository.firstPrivate(repos).isEmpty()) {
            throw new InvalidInputException("validateSize needs a private ECR repository in targetEcrRepos, such as"
                    + " 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution: the size gate reads the"
                    + " pushed images' sizes there (targetEcrRepos is " + repos + ")");
        }
        return new ReleaseInput(
                releaseType == null ? null : ReleaseType.parse(releaseType),
                base,
                target,
                pre,
                bool(input, "force"),
                bool(input, "skipTests"),
                repos,
                region,
                imageTypes,
                bool(input, "updateNightlySchedule"),
                validateSize);
    }

    private static String string(JsonNode input, String field) {
        JsonNode node = input.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidInputException(field + " must be a string, not " + node);
        }
        String value = node.asText();
        return value.isEmpty() ? null : value;
    }

    /** A version-like string: short and free of path characters, checked for syntax later by the core. */
    private static String versionText(JsonNode input, String field) {
        String value = string(input, field);
        if (value != null && !VERSION_TEXT.matcher(value).matches()) {
            throw new InvalidInputException(
                    field + " '" + value + "' is not a version: use e.g. 4.4.0, latest or latest-4.4");
        }
        return value;
    }

    private static boolean bool(JsonNode input, String field) {
        JsonNode node = input.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new InvalidInputException(field + " must be true or false, not " + node);
        }
        return node.asBoolean();
    }

    private static List<String> strings(JsonNode input, String field) {
        JsonNode node = input.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidInputException(field + " must be a list of strings, not " + node);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw new InvalidInputException(field + " must be a list of non-empty strings, found " + item);
            }
            out.add(item.asText());
        }
        return out;
    }
}
