package io.smdrelease.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.error.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The release state machine's input (docs/contract.md) as flags, one per field, or whole with {@code --input}. The
 * flags make the JSON the pipeline receives, so the pipeline's own rules ({@code ReleaseInput.parse}) judge it.
 */
final class ReleaseInputOptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--release-type", paramLabel = "TYPE", description = "patch, minor or major.")
    String releaseType;

    @Option(
            names = "--base-patch-version",
            paramLabel = "VERSION",
            description = "The version to start from: 4.4.0, latest or latest-X.Y (the newest released).")
    String basePatchVersion;

    @Option(
            names = "--target-patch-version",
            paramLabel = "VERSION",
            description = "Instead of the two above: an existing version, built again (or promoted with --promote).")
    String targetPatchVersion;

    @Option(
            names = "--pre-release-identifier",
            paramLabel = "ID",
            description = "beta, rc1 (no dots): the version is X.Y.Z-ID.")
    String preReleaseIdentifier;

    @Option(
            names = "--force",
            description = "Replace an existing, unreleased version and solve every image afresh from env.in.")
    boolean force;

    @Option(names = "--skip-tests", description = "Waive the image-tests gate (recorded as WAIVED).")
    boolean skipTests;

    @Option(
            names = "--target-ecr-repo",
            paramLabel = "REPO",
            description = "A release repository to promote to (repeatable), e.g."
                    + " 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution.")
    List<String> targetEcrRepos = new ArrayList<>();

    @Option(
            names = "--registry-region",
            paramLabel = "REGION",
            description = "The input's region: where the release repositories are (default: each repository's own).")
    String registryRegion;

    @Option(names = "--image-type", paramLabel = "TYPE", description = "Build only these image types (repeatable).")
    List<String> imageTypes = new ArrayList<>();

    @Option(names = "--validate-size", description = "Run the size gate (new packages' share of the image, 5 %%).")
    boolean validateSize;

    @Option(names = "--approval", description = "Wait for release approve|reject before promoting.")
    boolean approval;

    @Option(
            names = "--candidate-only",
            description = "Stop after the gates: build and gate candidates, promote nothing.")
    boolean candidateOnly;

    @Option(
            names = "--promote",
            description = "With --target-patch-version: promote its gated candidates, build nothing.")
    boolean promote;

    @Option(
            names = "--update-nightly-schedule",
            description = "Add the next versions to nightly-schedule.json once released.")
    boolean updateNightlySchedule;

    @Option(
            names = "--input",
            paramLabel = "FILE|JSON",
            description = "The whole execution input instead of the flags above: a JSON file, or the JSON itself.")
    String input;

    /** Whether the input was given as JSON, so messages speak of its fields rather than of flags. */
    boolean fromJson() {
        return input != null;
    }

    /** The execution input: {@code --input} as given, or the flags' fields (only those set, for a readable input). */
    ObjectNode toJson() {
        ObjectNode flags = flagsJson();
        if (input == null) {
            return flags;
        }
        if (!flags.isEmpty()) {
            List<String> given = new ArrayList<>();
            flags.fieldNames().forEachRemaining(field -> given.add(InputFlagWords.flagOf(field)));
            throw new InvalidInputException(
                    "--input gives the whole input: drop " + String.join(", ", given) + " or drop --input");
        }
        return parseInput(input);
    }

    private ObjectNode flagsJson() {
        ObjectNode json = JSON.createObjectNode();
        putText(json, "releaseType", releaseType);
        putText(json, "basePatchVersion", basePatchVersion);
        putText(json, "targetPatchVersion", targetPatchVersion);
        putText(json, "preReleaseIdentifier", preReleaseIdentifier);
        putFlag(json, "force", force);
        putFlag(json, "skipTests", skipTests);
        if (!targetEcrRepos.isEmpty()) {
            ArrayNode repos = json.putArray("targetEcrRepos");
            targetEcrRepos.forEach(repos::add);
        }
        putText(json, "region", registryRegion);
        if (!imageTypes.isEmpty()) {
            ArrayNode types = json.putArray("imageTypes");
            imageTypes.forEach(types::add);
        }
        putFlag(json, "validateSize", validateSize);
        putFlag(json, "approval", approval);
        putFlag(json, "candidateOnly", candidateOnly);
        putFlag(json, "promote", promote);
        putFlag(json, "updateNightlySchedule", updateNightlySchedule);
        return json;
    }

    private static ObjectNode parseInput(String value) {
        String text = value.strip();
        String where = "--input";
        if (!text.startsWith("{")) {
            Path file = Path.of(value);
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException(
                        "--input " + value + " is neither a JSON object nor a file: pass"
                                + " --input release.json or --input '{\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\"}'");
            }
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new InvalidInputException("--input " + value + " cannot be read: " + e.getMessage());
            }
            where = "--input " + value;
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(where + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidInputException(where + " must be a JSON object such as"
                    + " {\"releaseType\":\"patch\",\"basePatchVersion\":\"latest\"}");
        }
        return object;
    }

    private static void putText(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    private static void putFlag(ObjectNode json, String field, boolean value) {
        if (value) {
            json.put(field, true);
        }
    }
}
