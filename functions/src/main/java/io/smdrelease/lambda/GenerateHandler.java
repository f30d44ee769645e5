package io.smdrelease.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.artifacts.ArtifactGenerator;
import io.smdrelease.artifacts.CreateRequest;
import io.smdrelease.artifacts.GeneratedVersion;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.artifacts.VersionCatalog;
import io.smdrelease.buildplan.BuildPlan;
import io.smdrelease.buildplan.BuildPlanner;
import io.smdrelease.buildplan.CodeBuildVariable;
import io.smdrelease.buildplan.ImageBuildPlan;
import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.version.ImageVersions;
import io.smdrelease.version.SemVer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Generate artifacts} step: validates the execution input, creates the target version's artifacts in the
 * bucket (or checks that the version to rebuild exists) and returns the build plan the state machine's Map iterates
 * (docs/contract.md). Nothing is written before the whole input has been checked.
 */
public final class GenerateHandler implements RequestStreamHandler {
    private final PipelineSettings settings;
    private final ArtifactStore store;
    private final ImageConfigs imageConfigs = ImageConfigs.builtIn();

    /** The Lambda runtime's constructor: configuration and clients from the environment, created once. */
    public GenerateHandler() {
        this(PipelineSettings.fromEnvironment(), null);
    }

    public GenerateHandler(PipelineSettings settings, ArtifactStore store) {
        this.settings = settings;
        this.store = store != null ? store : LambdaSupport.storeFromEnvironment(settings);
        LambdaSupport.prime();
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        ObjectNode plan;
        try {
            plan = generate(LambdaSupport.readInput(in));
        } catch (RuntimeException e) {
            throw LambdaSupport.classify(e);
        }
        LambdaSupport.writeOutput(out, plan);
    }

    /** Validates the input, creates the artifacts and returns the build plan. */
    public ObjectNode generate(JsonNode rawInput) {
        ReleaseInput input = ReleaseInput.parse(rawInput);
        SemVer target;
        String sourceVersion;
        GeneratedVersion generated = null;
        if (input.buildsExistingVersion()) {
            target = SemVer.parseImageVersion(input.targetPatchVersion());
            String dir = ImageVersions.versionDir(target);
            if (!store.isComplete(dir)) {
                throw new BaseNotFoundException("version " + target + " has no complete artifacts at " + dir + " in "
                        + store.location() + ": create it first (releaseType and basePatchVersion)");
            }
            sourceVersion = store.read(dir + "/" + ArtifactGenerator.SOURCE_VERSION_FILE)
                    .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                    .orElse(null);
        } else {
            String base = new VersionCatalog(store).resolveBase(input.basePatchVersion());
            generated = new ArtifactGenerator(store, imageConfigs)
                    .plan(new CreateRequest(input.releaseType(), base, input.preReleaseIdentifier(), input.force()));
            target = generated.target();
            sourceVersion = base;
        }
        List<String> imageTypes = selectImageTypes(input, target);
        List<String> projects = new ArrayList<>();
        for (String type : imageTypes) {
            projects.add(settings.buildProject(type));
        }
        if (generated != null) {
            store.publish(generated.publication());
        }

        BuildPlan plan = new BuildPlanner(store, imageConfigs).plan(target, input.force());
        String artifactPrefix = settings.artifactKey(plan.versionDir());
        ObjectNode out = LambdaSupport.JSON.createObjectNode();
        out.put("targetVersion", target.toString());
        out.put("sourceVersion", sourceVersion);
        out.put("created", generated != null);
        out.put("artifactBucket", settings.artifactBucket());
        out.put("artifactPrefix", artifactPrefix);
        out.put("skipTests", input.skipTests());
        out.put("force", input.force());
        out.put("updateNightlySchedule", input.updateNightlySchedule());
        out.put("validateSize", input.validateSize());
        ArrayNode repos = out.putArray("targetEcrRepos");
        input.targetEcrRepos().forEach(repos::add);
        ArrayNode builds = out.putArray("builds");
        for (int i = 0; i < imageTypes.size(); i++) {
            ImageBuildPlan image = plan.image(imageTypes.get(i));
            ObjectNode build = builds.addObject();
            build.put("imageType", image.imageType());
            build.put("projectName", projects.get(i));
            ArrayNode tags = build.putArray("tags");
            image.tags().forEach(tags::add);
            ArrayNode environment = build.putArray("environment");
            for (CodeBuildVariable variable : image.codeBuildEnvironment(
                    settings.artifactBucket(),
                    artifactPrefix,
                    input.targetEcrRepos(),
                    input.skipTests(),
                    input.force())) {
                environment
                        .addObject()
                        .put("Name", variable.name())
                        .put("Value", variable.value())
                        .put("Type", variable.type());
            }
        }
        return out;
    }

    private List<String> selectImageTypes(ReleaseInput input, SemVer target) {
        List<String> known = imageConfigs.forMajor(target.major()).stream()
                .map(c -> c.imageType())
                .toList();
        if (input.imageTypes() == null) {
            return known;
        }
        for (String type : input.imageTypes()) {
            if (!known.contains(type)) {
                throw new InvalidInputException(
                        "imageTypes entry '" + type + "' is not an image type of " + target + ": use some of " + known);
            }
        }
        return known.stream().filter(input.imageTypes()::contains).toList();
    }
}
