package io.smdrelease.cli;

import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.aws.s3.S3Location;
import io.smdrelease.buildplan.BuildPlan;
import io.smdrelease.buildplan.BuildPlanner;
import io.smdrelease.buildplan.ImageBuildPlan;
import io.smdrelease.changelog.ChangelogGenerator;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.version.SemVer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code build}: the original tool's local build, running the very scripts CodeBuild runs (buildspecs/build.yml) for
 * each image type, then writing the changelogs and RELEASE.md.
 */
@Command(
        name = "build",
        description = "Build, test and push the images of a version with the CodeBuild scripts"
                + " (docker, or buildah without a Docker engine), then write CHANGELOG-<type>.md and RELEASE.md.")
final class BuildCommand extends BaseCommand {
    /** The scripts of buildspecs/build.yml's pre_build and build phases, in order. */
    static final List<String> SCRIPTS =
            List.of("fetch.sh", "build-image.sh", "export-env.sh", "run-tests.sh", "push.sh");

    @Mixin
    StoreOptions storeOptions;

    @Option(
            names = "--target-patch-version",
            required = true,
            paramLabel = "VERSION",
            description = "The version to build, e.g. 4.4.1 (create its artifacts first).")
    String targetPatchVersion;

    @Option(names = "--skip-tests", description = "Do not run the image tests.")
    boolean skipTests;

    @Option(names = "--force", description = "Solve afresh from env.in even when <type>.env.out exists.")
    boolean force;

    @Option(
            names = "--target-ecr-repo",
            paramLabel = "REPO",
            description = "Repository to push every tag to"
                    + " (repeatable), e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-distribution.")
    List<String> targetEcrRepos = new ArrayList<>();

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region for ECR logins and S3.")
    String region;

    @Option(names = "--image-type", paramLabel = "TYPE", description = "Build only these image types (repeatable).")
    List<String> imageTypes = new ArrayList<>();

    @Option(
            names = "--scripts",
            paramLabel = "DIR",
            description = "The build scripts (default: buildspecs/scripts" + " of this installation).")
    Path scripts;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Where the scripts work (default: a new temporary" + " directory).")
    Path workDir;

    @Override
    protected ExitCode execute() throws IOException, InterruptedException {
        SemVer version = SemVer.parseImageVersion(targetPatchVersion);
        ArtifactStore store = storeOptions.open();
        ImageConfigs configs = ImageConfigs.builtIn();
        BuildPlan plan = new BuildPlanner(store, configs).plan(version, force);
        Path scriptDir = scriptDir();
        Path work = workDir != null ? workDir : Files.createTempDirectory("smd-build-");
        List<ImageBuildPlan> images = new ArrayList<>();
        for (ImageBuildPlan image : plan.images()) {
            if (imageTypes.isEmpty() || imageTypes.contains(image.imageType())) {
                images.add(image);
            }
        }
        if (images.isEmpty()) {
            throw new InvalidInputException("--image-type " + imageTypes + " names no image type of " + version);
        }
        long start = System.nanoTime();
        try {
            for (ImageBuildPlan image : images) {
                Map<String, String> env = environment(store, plan, image, work.resolve(image.imageType()));
                for (String script : SCRIPTS) {
                    runScript(scriptDir.resolve(script), image.imageType(), env, start);
                }
            }
        } catch (BuildFailedException e) {
            err().println("build failed: " + e.getMessage());
            return ExitCode.BUILD_FAILED;
        }
        if (images.size() == plan.images().size()) {
            new ChangelogGenerator(store, configs).generate(version);
            out().println("Wrote CHANGELOG-<type>.md and RELEASE.md of " + version + " in " + store.location() + "/"
                    + plan.versionDir());
        } else {
            out().println("Built only " + imageTypes
                    + ": the changelogs need every image type's env.out, not written.");
        }
        out().printf("Built %s in %.1f s%n", version, (System.nanoTime() - start) / 1e9);
        return ExitCode.OK;
    }

    private Map<String, String> environment(ArtifactStore store, BuildPlan plan, ImageBuildPlan image, Path work) {
        Map<String, String> env = new LinkedHashMap<>();
        if (store instanceof LocalDirStore local) {
            env.put("ARTIFACT_DIR", local.root().resolve(plan.versionDir()).toString());
            Path tests = local.root().resolve("test");
            if (Files.isDirectory(tests)) {
                env.put("TEST_DIR", tests.toString());
            }
        }
        S3Location bucket = storeOptions.store == null ? null : S3Location.parse(storeOptions.store);
        if (bucket != null) {
            env.put("ARTIFACT_BUCKET", bucket.bucket());
        }
        String prefix = bucket != null ? bucket.key(plan.versionDir()) : plan.versionDir();
        image.codeBuildEnvironment(bucket != null ? bucket.bucket() : "", prefix, targetEcrRepos, skipTests, force)
                .forEach(variable -> env.putIfAbsent(variable.name(), variable.value()));
        if (store instanceof LocalDirStore) {
            env.remove("ARTIFACT_BUCKET");
        }
        env.put("WORK_DIR", work.toString());
        if (region != null) {
            env.put("AWS_REGION", region);
        }
        return env;
    }

    private void runScript(Path script, String imageType, Map<String, String> env, long start)
            throws IOException, InterruptedException {
        String name = script.getFileName().toString().replace(".sh", "");
        out().printf("[%s] %-12s started at +%.1f s%n", imageType, name, (System.nanoTime() - start) / 1e9);
        out().flush();
        ProcessBuilder process = new ProcessBuilder("bash", script.toString()).inheritIO();
        process.environment().putAll(env);
        long began = System.nanoTime();
        int exit = process.start().waitFor();
        double seconds = (System.nanoTime() - began) / 1e9;
        if (exit != 0) {
            throw new BuildFailedException("the " + imageType + " image's " + name + " step failed (exit " + exit
                    + ") after " + String.format("%.1f", seconds) + " s: see its output above");
        }
        out().printf("[%s] %-12s done in %.1f s%n", imageType, name, seconds);
    }

    private Path scriptDir() {
        Path dir = scripts;
        if (dir == null) {
            String home = System.getProperty("smd.home");
            dir = (home != null ? Paths.get(home) : Paths.get("")).resolve("buildspecs/scripts");
        }
        if (!Files.isRegularFile(dir.resolve("build-image.sh"))) {
            throw new InvalidInputException("no build scripts in " + dir.toAbsolutePath()
                    + ": pass --scripts DIR (the buildspecs/scripts folder of this project)");
        }
        return dir;
    }

    /** A build step failed: the user's image, tests or registry, not this tool. */
    static final class BuildFailedException extends RuntimeException {
        BuildFailedException(String message) {
            super(message);
        }
    }
}
