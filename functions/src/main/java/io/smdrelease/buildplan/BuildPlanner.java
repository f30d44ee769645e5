package io.smdrelease.buildplan;

import io.smdrelease.artifacts.ImageConfig;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.layout.VersionDirectories;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.tags.VersionTags;
import io.smdrelease.version.SemVer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans the build of an existing version, for the pipeline and for a local {@code build} (docs/original-tool.md §3):
 * which env file each image is solved from, its build args, its Dockerfile and its tags. Reads only; builds nothing.
 */
public final class BuildPlanner {
    public static final String IMAGE_VERSION = "IMAGE_VERSION";
    public static final String EXTERNAL_LIB_CACHE_S3_BUCKET = "EXTERNAL_LIB_CACHE_S3_BUCKET";
    public static final String EXTERNAL_LIB_CACHE = "s3://external-lib-cache-prod";
    public static final String DOCKERFILE = "Dockerfile";

    private final ArtifactStore store;
    private final ImageConfigs imageConfigs;
    private final VersionTags versionTags;

    public BuildPlanner(ArtifactStore store, ImageConfigs imageConfigs) {
        this.store = store;
        this.imageConfigs = imageConfigs;
        this.versionTags = new VersionTags(store, imageConfigs);
    }

    /**
     * Plans every image type of the version's major.
     *
     * @param resolveAfresh solve afresh from env.in even where an env.out exists (the second meaning of --force)
     * @throws BaseNotFoundException    when the version has no complete directory
     * @throws MissingArtifactException when the env file an image would be built from is missing
     */
    public BuildPlan plan(SemVer version, boolean resolveAfresh) {
        List<ImageConfig> configs = imageConfigs.forMajor(version.major());
        String dir = VersionDirectories.requireComplete(store, version, VersionDirectories.CREATE_IT);
        List<String> children = store.children(dir);
        boolean patched = children.stream().anyMatch(name -> name.endsWith(".patch"));
        List<ImageBuildPlan> images = new ArrayList<>(configs.size());
        for (ImageConfig config : configs) {
            images.add(planImage(version, dir, config, resolveAfresh, patched, children));
        }
        return new BuildPlan(version.toString(), dir, resolveAfresh, images);
    }

    private ImageBuildPlan planImage(
            SemVer version,
            String dir,
            ImageConfig config,
            boolean resolveAfresh,
            boolean patched,
            List<String> children) {
        boolean reuse = !resolveAfresh && children.contains(config.envOutFile());
        Map<String, String> args = new LinkedHashMap<>(config.buildArgs());
        if (reuse) {
            args.put(ImageConfig.ENV_IN_FILENAME, config.envOutFile());
            args.remove(ImageConfig.ARG_BASED_ENV_IN_FILENAME);
        }
        String envFile = args.get(ImageConfig.ENV_IN_FILENAME);
        if (!reuse && !children.contains(envFile)) {
            throw new MissingArtifactException(dir + "/" + envFile + " is missing in " + store.location()
                    + ": the " + config.imageType() + " image of " + version + " cannot be built without it;"
                    + " generate the version again with create-*-version-artifacts --force");
        }
        args.put(IMAGE_VERSION, config.tag(version.toString()));
        args.put(EXTERNAL_LIB_CACHE_S3_BUCKET, EXTERNAL_LIB_CACHE);
        String dockerfile = patched ? "Dockerfile-" + config.imageType() + ".patch" : DOCKERFILE;
        return new ImageBuildPlan(
                config.imageType(),
                envFile,
                reuse,
                args,
                dockerfile,
                versionTags.tags(version, config),
                config.pytestFlags());
    }
}
