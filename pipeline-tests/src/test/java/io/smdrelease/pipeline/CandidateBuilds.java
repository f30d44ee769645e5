package io.smdrelease.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.store.ArtifactStore;
import io.smdrelease.testsupport.TestImages;
import io.smdrelease.testsupport.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the CodeBuild builds of a plan leave behind (buildspecs/build.yml), done by the test because the emulator runs
 * no CodeBuild (its Step Functions mock config answers the build task). For each planned build that succeeds, with the
 * build's own environment (ARTIFACT_PREFIX, IMAGE_TYPE, STAGING_REPO, CANDIDATE_TAG, SKIP_TESTS): the env.out, a real
 * image pushed by digest to the staging repository under the candidate tag (skopeo), the test report naming the
 * image's id, and {@code candidate-<type>.json} with the digest read back from the push. A failed build leaves no
 * candidate.
 */
final class CandidateBuilds {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE_DIR = "build_artifacts/v1/v1.2/v1.2.0";

    /** What the image tests of the next builds report. */
    enum Tests {
        PASS,
        ALL_SKIPPED
    }

    /** One candidate: its tag, manifest digest, and image id (its config's digest, what the test report names). */
    record Candidate(String imageType, String repository, String tag, String digest, String imageId) {}

    private final ArtifactStore store;
    private final Path layout;
    private final List<Candidate> built = new CopyOnWriteArrayList<>();
    private volatile Set<String> failing = Set.of();
    private volatile Tests tests = Tests.PASS;
    private volatile String extraPackage;

    CandidateBuilds(ArtifactStore store, Path layout) {
        this.store = store;
        this.layout = layout;
    }

    /** The next builds of these image types fail (the mock config must fail the same ones). */
    void failing(Set<String> imageTypes) {
        failing = Set.copyOf(imageTypes);
    }

    void tests(Tests next) {
        tests = next;
    }

    /** The next builds' solve adds this package (an explicit env.out line). */
    void extraPackage(String url) {
        extraPackage = url;
    }

    /** Back to builds that succeed with passing tests and the base's packages. */
    void reset() {
        failing = Set.of();
        tests = Tests.PASS;
        extraPackage = null;
    }

    /** Every candidate built so far, in the order the builds finished. */
    List<Candidate> built() {
        return List.copyOf(built);
    }

    /** Runs the plan's builds (Generate's output): what each one writes back and pushes. */
    void run(JsonNode plan) {
        for (JsonNode build : plan.path("builds")) {
            Map<String, String> env = new TreeMap<>();
            build.get("environment")
                    .forEach(v -> env.put(v.get("Name").asText(), v.get("Value").asText()));
            String type = env.get("IMAGE_TYPE");
            if (!failing.contains(type)) {
                try {
                    build(env);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void build(Map<String, String> env) throws IOException, InterruptedException {
        String type = env.get("IMAGE_TYPE");
        // a build writes only under its own results prefix; the gates step checks it and moves it into the version
        String dir = env.get("RESULTS_PREFIX");
        String tag = env.get("CANDIDATE_TAG");
        String staging = env.get("STAGING_REPO");
        // build-image.sh: the solved environment, a package newer than the base's
        String envOut = Trees.read(Trees.examples().resolve(BASE_DIR + "/" + type + ".env.out"))
                .replace("numpy-1.26.4-", "numpy-1.26.5-");
        if (extraPackage != null) {
            envOut = envOut + extraPackage + "\n";
        }
        store.write(dir + "/" + type + ".env.out", envOut.getBytes(StandardCharsets.UTF_8));

        TestImages.Image image = TestImages.writeImage(layout, tag, tag.hashCode(), 40_000, 20_000);
        String imageId = configDigest(image);
        boolean skipTests = Boolean.parseBoolean(env.get("SKIP_TESTS"));
        store.write(
                dir + "/test-report-" + type + ".json",
                JSON.writeValueAsBytes(testReport(type, tag, imageId, skipTests)));

        // push.sh: the tested image once, by digest, to STAGING_REPO:CANDIDATE_TAG only
        TestImages.push(image, staging, tag);
        ObjectNode candidate = JSON.createObjectNode()
                .put("imageType", type)
                .put("repository", staging)
                .put("tag", tag)
                .put("digest", image.digest())
                .put("pushedAt", Instant.now().toString());
        store.write(dir + "/candidate-" + type + ".json", JSON.writeValueAsBytes(candidate));
        built.add(new Candidate(type, staging, tag, image.digest(), imageId));
    }

    /** run-tests.sh's report: the distribution's image tests as they ran, or skipped on request. */
    private ObjectNode testReport(String type, String tag, String imageId, boolean skipTests) {
        ObjectNode report = JSON.createObjectNode()
                .put("imageType", type)
                .put("image", "localhost/smd-release-candidate:" + tag)
                .put("imageId", imageId)
                .put("skipTests", skipTests);
        ArrayNode cases = report.putArray("cases");
        if (skipTests) {
            report.putNull("harness");
            report.putObject("summary").put("passed", 0).put("failed", 0).put("skipped", 0);
            return report;
        }
        report.put("harness", "test/run_pytest.sh");
        boolean pass = tests == Tests.PASS;
        cases.addObject()
                .put("name", "numpy.test.Dockerfile")
                .put("result", pass ? "passed" : "skipped")
                .put("reason", pass ? null : "numpy is not in " + type + ".env.out")
                .put("seconds", 1.5);
        cases.addObject()
                .put("name", "gpu-dependencies.test.Dockerfile")
                .put("result", "skipped")
                .put("reason", "runs on gpu images only")
                .put("seconds", 0.0);
        report.putObject("summary").put("passed", pass ? 1 : 0).put("failed", 0).put("skipped", pass ? 1 : 2);
        return report;
    }

    /** The image id a container engine reports: the digest of the image's config. */
    static String configDigest(TestImages.Image image) throws IOException {
        Path manifest = image.layout().resolve("blobs/sha256/" + image.digest().substring("sha256:".length()));
        return JSON.readTree(Files.readAllBytes(manifest)).at("/config/digest").asText();
    }
}
