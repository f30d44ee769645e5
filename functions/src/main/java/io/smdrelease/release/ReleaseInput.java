package io.smdrelease.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.registry.ImageRepository;
import io.smdrelease.version.ReleaseType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The release state machine's input (docs/contract.md), validated: every field has its type, unknown fields are
 * refused (a typo must not silently become a default), and values that end up in store keys or CodeBuild environments
 * are checked against strict patterns. Messages name the input field, since that is what the user wrote.
 *
 * @param releaseType   {@code null} when {@code targetPatchVersion} names an existing version
 * @param force         the input's {@code force}: it both replaces an existing, unreleased version
 *                      ({@link #replaceExisting}) and solves the images afresh from env.in ({@link #resolveAfresh})
 * @param skipTests     a recorded waiver of the image-tests gate
 * @param imageTypes    {@code null} for every image type of the version's major
 * @param validateSize  run the size gate (new packages against the image size, in the staging repository)
 * @param approval      wait for an approval (task token) before promoting
 * @param candidateOnly stop after the gates: build and check candidates, promote nothing (nightly runs)
 * @param promote       promote the existing candidates of {@code targetPatchVersion} without building them again
 * @param cveGate       run the CVE gate (the registry's vulnerability scan of each candidate digest)
 * @param allowRegressions packages a patch release may remove or downgrade against its base (the regression gate)
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
        boolean validateSize,
        boolean approval,
        boolean candidateOnly,
        boolean promote,
        boolean cveGate,
        List<String> allowRegressions) {

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
            "validateSize",
            "approval",
            "candidateOnly",
            "promote",
            "cveGate",
            "allowRegressions");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern IMAGE_TYPE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern VERSION_TEXT = Pattern.compile("[0-9A-Za-z.+-]{1,64}");
    /** A conda package name: {@code numpy}, {@code libclang-cpp21.1}, {@code _libgcc_mutex}. */
    private static final Pattern PACKAGE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}");

    public ReleaseInput {
        targetEcrRepos = List.copyOf(targetEcrRepos);
        imageTypes = imageTypes == null ? null : List.copyOf(imageTypes);
        allowRegressions = allowRegressions == null ? List.of() : List.copyOf(allowRegressions);
    }

    /** Whether the input names an existing version rather than asking to create one. */
    public boolean buildsExistingVersion() {
        return targetPatchVersion != null;
    }

    /** {@code force}, first meaning: an existing version that is not released yet is generated again. */
    public boolean replaceExisting() {
        return force;
    }

    /** {@code force}, second meaning: the images are solved afresh from env.in even where an env.out exists. */
    public boolean resolveAfresh() {
        return force;
    }

    public ReleaseMode mode() {
        if (promote) {
            return ReleaseMode.PROMOTE;
        }
        return candidateOnly ? ReleaseMode.CANDIDATE : ReleaseMode.RELEASE;
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
                    "unknown input field(s) " + unknown + ": allowed are " + new TreeSet<>(FIELDS));
        }
        String releaseType = string(input, "releaseType");
        String base = versionText(input, "basePatchVersion");
        String target = versionText(input, "targetPatchVersion");
        String pre = string(input, "preReleaseIdentifier");
        if (target != null) {
            if (releaseType != null || base != null || pre != null) {
                throw new InvalidInputException("targetPatchVersion names an existing version and goes alone:"
                        + " drop releaseType, basePatchVersion and preReleaseIdentifier, or drop targetPatchVersion");
            }
        } else if (releaseType == null || base == null) {
            throw new InvalidInputException("the input needs releaseType (patch, minor or major) and basePatchVersion"
                    + " (a version such as 4.4.0, latest or latest-X.Y), or targetPatchVersion alone to build an"
                    + " existing version");
        }
        List<String> repos = repositories(input);
        String region = string(input, "region");
        if (region != null && !REGION.matcher(region).matches()) {
            throw new InvalidInputException("region '" + region + "' is not an AWS region such as us-east-1");
        }
        List<String> imageTypes = input.has("imageTypes") ? imageTypes(input) : null;
        boolean candidateOnly = bool(input, "candidateOnly");
        boolean promote = bool(input, "promote");
        boolean force = bool(input, "force");
        if (promote) {
            if (target == null) {
                throw new InvalidInputException("promote needs targetPatchVersion, the version whose candidates to"
                        + " promote, e.g. {\"targetPatchVersion\":\"4.4.2\",\"promote\":true}");
            }
            if (candidateOnly || force) {
                throw new InvalidInputException("promote releases the existing candidates as they are: drop "
                        + (candidateOnly ? "candidateOnly" : "force") + ", or drop promote to build new candidates");
            }
            if (repos.isEmpty()) {
                throw new InvalidInputException(
                        "promote needs targetEcrRepos, the release repositories to copy the"
                                + " candidates to, e.g. {\"targetPatchVersion\":\"" + target + "\",\"promote\":true,"
                                + "\"targetEcrRepos\":[\"123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution\"]}");
            }
        }
        if (candidateOnly && bool(input, "approval")) {
            throw new InvalidInputException(
                    "approval asks before promoting, and candidateOnly promotes nothing:" + " drop one of them");
        }
        return new ReleaseInput(
                releaseType == null ? null : ReleaseType.parse(releaseType),
                base,
                target,
                pre,
                force,
                bool(input, "skipTests"),
                repos,
                region,
                imageTypes,
                bool(input, "updateNightlySchedule"),
                bool(input, "validateSize"),
                bool(input, "approval"),
                candidateOnly,
                promote,
                bool(input, "cveGate"),
                allowRegressions(input));
    }

    /** Whether {@code name} can be a conda package name ({@code allowRegressions}, {@code --allow-regression}). */
    public static boolean isPackageName(String name) {
        return name != null && PACKAGE_NAME.matcher(name).matches();
    }

    private static List<String> allowRegressions(JsonNode input) {
        List<String> names = strings(input, "allowRegressions");
        for (String name : names) {
            if (!isPackageName(name)) {
                throw new InvalidInputException("allowRegressions entry '" + name + "' is not a conda package name:"
                        + " list the packages a patch may remove or downgrade, e.g. [\"pcre2\", \"libglib\"]");
            }
        }
        if (new LinkedHashSet<>(names).size() != names.size()) {
            throw new InvalidInputException("allowRegressions lists a package twice: " + names);
        }
        return names;
    }

    private static List<String> repositories(JsonNode input) {
        List<String> repos = strings(input, "targetEcrRepos");
        for (String repo : repos) {
            if (!isRepository(repo)) {
                throw new InvalidInputException("targetEcrRepos entry '" + repo + "' is not a repository URI such as"
                        + " 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution");
            }
        }
        if (new LinkedHashSet<>(repos).size() != repos.size()) {
            throw new InvalidInputException("targetEcrRepos lists a repository twice: " + repos);
        }
        return repos;
    }

    /** The registry client's own rule ({@link ImageRepository#parse}): what it could not promote to is refused now. */
    private static boolean isRepository(String repo) {
        try {
            ImageRepository.parse(repo);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    private static List<String> imageTypes(JsonNode input) {
        List<String> imageTypes = strings(input, "imageTypes");
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
        return imageTypes;
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
