package io.smdrelease.cli;

import io.smdrelease.aws.s3.S3Location;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.release.PlannedBuild;
import io.smdrelease.release.ReleasePlan;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.store.LocalDirStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the candidate builds of a plan on this machine with the scripts of buildspecs/build.yml, one image type after
 * the other, printing each step's start and duration.
 */
public final class LocalBuilds {
    /** The scripts of buildspecs/build.yml's pre_build and build phases, in order (also the local pipeline's). */
    public static final List<String> SCRIPTS =
            List.of("fetch.sh", "build-image.sh", "export-env.sh", "run-tests.sh", "push.sh");

    private final ArtifactStore store;
    /** {@code s3://bucket[/prefix]} when the store is a bucket, else {@code null}. */
    private final String bucketUri;

    private final Path scripts;
    private final Path workDir;
    private final String region;
    private final PrintWriter out;

    LocalBuilds(ArtifactStore store, String bucketUri, Path scripts, Path workDir, String region, PrintWriter out) {
        this.store = store;
        this.bucketUri = bucketUri;
        this.scripts = scripts;
        this.workDir = workDir;
        this.region = region;
        this.out = out;
    }

    /** {@code cli:user@host}: who owns the versions this CLI publishes. */
    static String owner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return "cli:" + System.getProperty("user.name", "user") + "@" + host;
    }

    /** Where the scripts fetch a version from: the checkout's directories, or the bucket. */
    Map<String, String> fetchVariables(String versionDir) {
        Map<String, String> env = new LinkedHashMap<>();
        if (store instanceof LocalDirStore local) {
            env.put("ARTIFACT_DIR", local.root().resolve(versionDir).toString());
            Path tests = local.root().resolve("test");
            if (Files.isDirectory(tests)) {
                env.put("TEST_DIR", tests.toString());
            }
        } else if (bucketUri != null) {
            S3Location bucket = S3Location.parse(bucketUri);
            env.put("ARTIFACT_BUCKET", bucket.bucket());
            env.put("ARTIFACT_PREFIX", bucket.key(versionDir));
        }
        return env;
    }

    void run(ReleasePlan plan) throws IOException, InterruptedException {
        Path scriptDir = scriptDir(scripts);
        Path work = workDir != null ? workDir : Files.createTempDirectory("smd-build-");
        long start = System.nanoTime();
        for (PlannedBuild build : plan.builds()) {
            Map<String, String> env = build.environmentMap();
            env.put("WORK_DIR", work.resolve(build.imageType()).toString());
            if (region != null) {
                env.put("AWS_REGION", region);
            }
            for (String script : SCRIPTS) {
                runScript(scriptDir.resolve(script), build.imageType(), env, start);
            }
        }
    }

    private void runScript(Path script, String imageType, Map<String, String> env, long start)
            throws IOException, InterruptedException {
        String name = script.getFileName().toString().replace(".sh", "");
        out.printf("[%s] %-12s started at +%.1f s%n", imageType, name, (System.nanoTime() - start) / 1e9);
        out.flush();
        ProcessBuilder process = new ProcessBuilder("bash", script.toString()).inheritIO();
        process.environment().putAll(env);
        long began = System.nanoTime();
        int exit = process.start().waitFor();
        double seconds = (System.nanoTime() - began) / 1e9;
        if (exit != 0) {
            throw new BuildFailedException("the " + imageType + " image's " + name + " step failed (exit " + exit
                    + ") after " + String.format("%.1f", seconds) + " s: see its output above");
        }
        out.printf("[%s] %-12s done in %.1f s%n", imageType, name, seconds);
    }

    private static Path scriptDir(Path scripts) {
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
