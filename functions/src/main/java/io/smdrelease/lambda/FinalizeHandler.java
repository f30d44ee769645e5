package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.artifacts.ArtifactGenerator;
import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.changelog.ChangelogGenerator;
import io.smdrelease.changelog.ReleaseDocuments;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.nightly.NightlyScheduleStore;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code Finalize release} step: after the builds, reads the env.out files and push reports they wrote, writes
 * {@code CHANGELOG-<type>.md}, {@code RELEASE.md} and {@code release.json}, and returns where they are.
 *
 * <p>Input: {@code {"plan": <Generate output>, "builds": [...]}}; only the plan is read, since every fact about the
 * builds is in the bucket (the Map's results are CodeBuild's own build records).
 */
public final class FinalizeHandler implements RequestStreamHandler {
    public static final String RELEASE_JSON = "release.json";
    private final PipelineSettings settings;
    private final ArtifactStore store;
    private final Clock clock;
    private final ImageConfigs imageConfigs = ImageConfigs.builtIn();

    public FinalizeHandler() {
        this(PipelineSettings.fromEnvironment(), null, Clock.systemUTC());
    }

    public FinalizeHandler(PipelineSettings settings, ArtifactStore store, Clock clock) {
        this.settings = settings;
        this.store = store != null ? store : LambdaSupport.storeFromEnvironment(settings);
        this.clock = clock;
        LambdaSupport.prime();
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ObjectNode summary;
        try {
            summary = finalizeRelease(LambdaSupport.readInput(in));
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, summary);
    }

    public ObjectNode finalizeRelease(JsonNode input) {
        JsonNode plan = input == null ? null : input.get("plan");
        if (plan == null
                || !plan.isObject()
                || !plan.path("targetVersion").isTextual()
                || !plan.path("builds").isArray()) {
            throw new InvalidInputException("Finalize needs {\"plan\": <the Generate output>, \"builds\": [...]},"
                    + " with plan.targetVersion and plan.builds");
        }
        SemVer target = SemVer.parseImageVersion(plan.get("targetVersion").asText());
        String versionDir = ImageVersions.versionDir(target);
        Map<String, JsonNode> builds = new java.util.LinkedHashMap<>();
        for (JsonNode build : plan.get("builds")) {
            builds.put(build.path("imageType").asText(), build);
        }
        List<String> repos = new ArrayList<>();
        plan.path("targetEcrRepos").forEach(r -> repos.add(r.asText()));

        ObjectNode images = LambdaSupport.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> build : builds.entrySet()) {
            ImageConfig config = imageConfigs.forType(target.major(), build.getKey());
            images.set(
                    build.getKey(),
                    imageRecord(versionDir, config, build.getValue().path("tags"), repos));
        }
        ReleaseDocuments documents = new ChangelogGenerator(store, imageConfigs).generate(target);

        ObjectNode release = LambdaSupport.JSON.createObjectNode();
        release.put("version", target.toString());
        release.put(
                "sourceVersion",
                store.read(versionDir + "/" + ArtifactGenerator.SOURCE_VERSION_FILE)
                        .map(b -> new String(b, StandardCharsets.UTF_8))
                        .orElse(null));
        release.put("createdAt", clock.instant().toString());
        release.set("images", images);
        String releasePath = versionDir + "/" + RELEASE_JSON;
        try {
            store.write(
                    releasePath,
                    LambdaSupport.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(release));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise release.json", e);
        }

        ObjectNode summary = LambdaSupport.JSON.createObjectNode();
        summary.put("targetVersion", target.toString());
        summary.put("releaseJson", uri(releasePath));
        ObjectNode changelogs = summary.putObject("changelogs");
        for (String path : documents.files().keySet()) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.startsWith("CHANGELOG-")) {
                changelogs.put(name.substring("CHANGELOG-".length(), name.length() - ".md".length()), uri(path));
            }
        }
        summary.put("releaseNotes", uri(versionDir + "/" + ChangelogGenerator.RELEASE_NOTES_FILE));
        summary.set("images", images);
        if (plan.path("updateNightlySchedule").asBoolean(false) && !target.isPrerelease()) {
            // the original's add-nightly-builds workflow, run when a release is published
            new NightlyScheduleStore(store).update(schedule -> schedule.addNextVersions(target.toString()));
            summary.put("nightlySchedule", "updated with " + target);
        }
        return summary;
    }

    /** Tags, env.out checksum and the digest pushed to each repository, from the build's push report. */
    private ObjectNode imageRecord(String versionDir, ImageConfig config, JsonNode plannedTags, List<String> repos) {
        String type = config.imageType();
        String envOutPath = versionDir + "/" + config.envOutFile();
        byte[] envOut = store.read(envOutPath)
                .orElseThrow(() -> new MissingArtifactException(envOutPath + " is missing in " + store.location()
                        + ": the " + type + " build did not write it"));
        String reportPath = versionDir + "/push-report-" + type + ".json";
        byte[] reportBytes = store.read(reportPath)
                .orElseThrow(() -> new MissingArtifactException(reportPath + " is missing in " + store.location()
                        + ": the " + type + " build did not finish its push"));
        JsonNode report;
        try {
            report = LambdaSupport.JSON.readTree(reportBytes);
        } catch (IOException e) {
            throw new MissingArtifactException(reportPath + " is not JSON: " + e.getMessage());
        }
        ObjectNode image = LambdaSupport.JSON.createObjectNode();
        image.put("envOutSha256", sha256(envOut));
        ObjectNode digests = image.putObject("digests");
        image.set("tags", plannedTags.deepCopy());
        JsonNode reported = report.path("repositories");
        for (String repo : repos) {
            JsonNode entry = reported.path(repo);
            if (!"pushed".equals(entry.path("status").asText())) {
                throw new MissingArtifactException(reportPath + ": " + repo + " was not pushed ("
                        + entry.path("status").asText("no entry") + " "
                        + entry.path("error").asText("") + ")");
            }
            String digest = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = entry.path("tags").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> tag = it.next();
                if (digest != null && !digest.equals(tag.getValue().asText())) {
                    throw new MissingArtifactException(
                            reportPath + ": " + repo + " holds different digests for its tags");
                }
                digest = tag.getValue().asText();
            }
            for (JsonNode tag : plannedTags) {
                if (!entry.path("tags").has(tag.asText())) {
                    throw new MissingArtifactException(reportPath + ": " + repo + " lacks the tag " + tag.asText());
                }
            }
            digests.put(repo, digest);
        }
        return image;
    }

    private String uri(String path) {
        return "s3://" + settings.artifactBucket() + "/" + settings.artifactKey(path);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
