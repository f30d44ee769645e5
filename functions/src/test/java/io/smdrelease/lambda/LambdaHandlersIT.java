package io.smdrelease.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smdrelease.artifacts.ImageConfigs;
import io.smdrelease.aws.s3.S3ObjectBucket;
import io.smdrelease.aws.s3.S3Stores;
import io.smdrelease.changelog.ChangelogGenerator;
import io.smdrelease.error.BaseNotFoundException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.error.ReleaseException;
import io.smdrelease.error.VersionExistsException;
import io.smdrelease.error.VersionLockedException;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.LocalDirStore;
import io.smdrelease.store.TreeTransfer;
import io.smdrelease.testsupport.Concurrently;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.MiniStackExtension;
import io.smdrelease.testsupport.Trees;
import io.smdrelease.testsupport.Trees.CliResult;
import io.smdrelease.version.SemVer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The Generate and Finalize handlers on MiniStack's S3: the same results as the CLI on a local tree. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LambdaHandlersIT {
    @RegisterExtension
    static final MiniStackExtension EMULATOR = new MiniStackExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> PROJECTS =
            Map.of("CPU_BUILD_PROJECT", "build-cpu", "GPU_BUILD_PROJECT", "build-gpu");

    @TempDir
    Path work;

    static String newBucket() {
        return EMULATOR.newVersionedBucket("handlers-it");
    }

    static BucketStore store(String bucket, String prefix) {
        return S3Stores.open(EMULATOR.s3(), bucket, prefix, Clock.systemUTC());
    }

    static String bucketName(BucketStore store) {
        return ((S3ObjectBucket) store.bucket()).bucket();
    }

    /** The handlers' settings for the bucket and prefix of {@code store}. */
    static PipelineSettings settings(BucketStore store) {
        return new PipelineSettings(bucketName(store), store.prefix(), PROJECTS);
    }

    static GenerateHandler generate(BucketStore store) {
        return new GenerateHandler(settings(store), store);
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Every object of a bucket with its content hash: "nothing written" means this did not change. */
    static Map<String, String> snapshot(String bucket) {
        Map<String, String> out = new TreeMap<>();
        for (S3Object o :
                EMULATOR.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            out.put(o.key(), o.eTag());
        }
        return out;
    }

    private BucketStore seededWithExamples(String prefix) {
        BucketStore store = store(newBucket(), prefix);
        TreeTransfer.pushTree(new LocalDirStore(Trees.examples()), store);
        return store;
    }

    @TestFactory
    Stream<DynamicTest> generateOnS3WritesWhatTheCliWritesLocally() throws Exception {
        return Trees.sharedCases("generate").stream()
                .map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), () -> {
                    JsonNode spec = JSON.readTree(c.resolve("case.json").toFile());
                    String command = spec.get("command").asText();
                    String type = command.substring("create-".length(), command.indexOf("-version"));
                    String base = spec.get("basePatchVersion").asText();
                    String targetDir = spec.get("targetDir").asText();

                    Path local = work.resolve(c.getFileName().toString());
                    Trees.copy(c.resolve("input"), local);
                    CliResult cli = Trees.runCli(command, "--base-patch-version", base, "--root", local.toString());
                    assertEquals(0, cli.exitCode(), cli.err());

                    BucketStore bucket = store(newBucket(), "mirror");
                    TreeTransfer.pushTree(new LocalDirStore(c.resolve("input")), bucket);
                    ObjectNode plan = generate(bucket)
                            .generate(json("{'releaseType':'" + type + "','basePatchVersion':'" + base + "'}"));

                    assertEquals(
                            spec.get("targetVersion").asText(),
                            plan.get("targetVersion").asText());
                    assertEquals(
                            "mirror/" + targetDir, plan.get("artifactPrefix").asText());
                    LocalDirStore expected = new LocalDirStore(local);
                    List<String> localFiles = expected.listFiles(targetDir);
                    assertEquals(localFiles, bucket.listFiles(targetDir));
                    for (String path : localFiles) {
                        assertArrayEquals(
                                expected.read(path).orElseThrow(),
                                bucket.read(path).orElseThrow(),
                                path);
                    }
                    assertEquals(
                            expected.listFiles("template"),
                            bucket.listFiles("template"),
                            "templates (minor: a new copy)");
                    assertTrue(bucket.isComplete(targetDir));
                }));
    }

    @Test
    void generateReturnsTheBuildPlanOfTheContract() {
        BucketStore store = seededWithExamples("");
        ObjectNode plan = generate(store)
                .generate(
                        json(
                                "{'releaseType':'patch','basePatchVersion':'latest',"
                                        + "'skipTests':true,'targetEcrRepos':['127.0.0.1:5000/smd','123456789012.dkr.ecr.us-east-1.amazonaws.com/smd']}"));
        assertEquals("1.2.1", plan.get("targetVersion").asText());
        assertEquals("1.2.0", plan.get("sourceVersion").asText());
        assertEquals(bucketName(store), plan.get("artifactBucket").asText());
        assertFalse(plan.get("validateSize").asBoolean(true), "validateSize defaults to false");
        assertEquals(List.of("gpu", "cpu"), plan.get("builds").findValuesAsText("imageType"));
        JsonNode cpu = plan.get("builds").get(1);
        assertEquals("build-cpu", cpu.get("projectName").asText());
        assertEquals(
                "[\"1.2.1-cpu\",\"1.2-cpu\",\"1-cpu\",\"latest-cpu\"]",
                cpu.get("tags").toString());
        Map<String, String> env = new TreeMap<>();
        cpu.get("environment")
                .forEach(v -> env.put(v.get("Name").asText(), v.get("Value").asText()));
        assertEquals("build_artifacts/v1/v1.2/v1.2.1", env.get("ARTIFACT_PREFIX"));
        assertEquals("true", env.get("SKIP_TESTS"));
        assertEquals("Dockerfile", env.get("DOCKERFILE"));
        assertEquals(
                "127.0.0.1:5000/smd 123456789012.dkr.ecr.us-east-1.amazonaws.com/smd", env.get("TARGET_ECR_REPOS"));
        assertTrue(env.get("BUILD_ARGS").contains("\"ENV_IN_FILENAME\":\"cpu.env.in\""), env.get("BUILD_ARGS"));
        assertTrue(env.get("BUILD_ARGS").contains("\"IMAGE_VERSION\":\"1.2.1-cpu\""), env.get("BUILD_ARGS"));
    }

    @Test
    void generateCarriesValidateSize_whenAPrivateEcrRepositoryIsAmongTheTargets() {
        BucketStore store = seededWithExamples("");
        ObjectNode plan = generate(store)
                .generate(
                        json(
                                "{'releaseType':'patch','basePatchVersion':'latest',"
                                        + "'validateSize':true,'targetEcrRepos':['127.0.0.1:5000/smd','123456789012.dkr.ecr.us-east-1.amazonaws.com/smd']}"));
        assertTrue(plan.get("validateSize").asBoolean(false), plan.toString());
        assertEquals(2, plan.get("targetEcrRepos").size());
    }

    @Test
    void twoConcurrentGeneratesForOneVersion_exactlyOneWins() throws Exception {
        BucketStore store = seededWithExamples("");
        GenerateHandler handler = generate(store);
        var outcomes = Concurrently.run(
                2, i -> () -> handler.generate(json("{'releaseType':'patch','basePatchVersion':'1.2.0'}")));
        List<Throwable> lost = outcomes.stream()
                .filter(o -> !o.succeeded())
                .map(Concurrently.Outcome::error)
                .toList();
        assertEquals(1, outcomes.size() - lost.size(), "exactly one run creates the version: " + lost);
        assertTrue(
                lost.get(0) instanceof VersionLockedException || lost.get(0) instanceof VersionExistsException,
                lost.get(0).toString());
        String dir = "build_artifacts/v1/v1.2/v1.2.1";
        assertTrue(store.isComplete(dir));
        var manifest = store.manifest(dir).orElseThrow();
        List<String> listed = new ArrayList<>();
        manifest.files().forEach(f -> listed.add(dir + "/" + f.path()));
        listed.sort(null);
        assertEquals(store.listFiles(dir), listed);
    }

    @Test
    void latestIgnoresIncompleteAndPrereleaseVersions() {
        BucketStore store = seededWithExamples("p");
        GenerateHandler handler = generate(store);
        handler.generate(json("{'releaseType':'patch','basePatchVersion':'1.2.0'}"));
        // an incomplete 1.2.9 (no manifest) and a complete prerelease 1.4.0-beta
        store.write(
                "build_artifacts/v1/v1.2/v1.2.9/cpu.env.in", "conda-forge::numpy\n".getBytes(StandardCharsets.UTF_8));
        handler.generate(json("{'releaseType':'minor','basePatchVersion':'1.2.1','preReleaseIdentifier':'beta'}"));
        assertTrue(store.isComplete("build_artifacts/v1/v1.3/v1.3.0/v1.3.0-beta"));

        io.smdrelease.artifacts.VersionCatalog catalog = new io.smdrelease.artifacts.VersionCatalog(store);
        assertEquals("1.2.1", catalog.resolveBase("latest"));
        assertEquals("1.2.1", catalog.resolveBase("latest-1.2"));
        assertThrows(BaseNotFoundException.class, () -> catalog.resolveBase("latest-1.3"));
        ObjectNode plan = handler.generate(json("{'releaseType':'patch','basePatchVersion':'latest-1.2'}"));
        assertEquals("1.2.2", plan.get("targetVersion").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not JSON object | [] | InvalidInputException | must be a JSON object",
                "missing fields | {} | InvalidInputException | needs releaseType",
                "unknown field | {'releaseType':'patch','basePatchVersion':'1.2.0','skiptests':true} | InvalidInputException | unknown input field(s) [skiptests]",
                "wrong type | {'releaseType':'patch','basePatchVersion':'1.2.0','force':'yes'} | InvalidInputException | force must be true or false",
                "wrong list type | {'releaseType':'patch','basePatchVersion':'1.2.0','targetEcrRepos':'repo'} | InvalidInputException | targetEcrRepos must be a list",
                "unknown release type | {'releaseType':'hotfix','basePatchVersion':'1.2.0'} | InvalidInputException | releaseType 'hotfix' is not one of",
                "version traversal | {'releaseType':'patch','basePatchVersion':'../../etc'} | InvalidInputException | is not a version",
                "prerelease traversal | {'releaseType':'patch','basePatchVersion':'1.2.0','preReleaseIdentifier':'../x'} | InvalidInputException | is not a SemVer prerelease",
                "bad repository | {'releaseType':'patch','basePatchVersion':'1.2.0','targetEcrRepos':['https://evil/../x']} | InvalidInputException | is not a repository URI",
                "bad region | {'releaseType':'patch','basePatchVersion':'1.2.0','region':'moon-1'} | InvalidInputException | region 'moon-1'",
                "unknown image type | {'releaseType':'patch','basePatchVersion':'1.2.0','imageTypes':['tpu']} | InvalidInputException | imageTypes entry 'tpu' is not an image type of 1.2.1",
                "both modes | {'releaseType':'patch','basePatchVersion':'1.2.0','targetPatchVersion':'1.2.1'} | InvalidInputException | goes alone",
                "missing base | {'releaseType':'patch','basePatchVersion':'1.2.7'} | BaseNotFoundException | base version 1.2.7 has no artifacts",
                "no such minor | {'releaseType':'patch','basePatchVersion':'latest-7.1'} | BaseNotFoundException | no complete release of 7.1",
                "bad latest | {'releaseType':'patch','basePatchVersion':'latest-x'} | InvalidInputException | is not latest or latest-X.Y",
                "size gate without ECR | {'releaseType':'patch','basePatchVersion':'1.2.0','validateSize':true,'targetEcrRepos':['127.0.0.1:5000/smd']} | InvalidInputException | validateSize needs a private ECR repository",
                "size gate without repos | {'releaseType':'patch','basePatchVersion':'1.2.0','validateSize':true} | InvalidInputException | validateSize needs a private ECR repository",
                "size gate not boolean | {'releaseType':'patch','basePatchVersion':'1.2.0','validateSize':'yes'} | InvalidInputException | validateSize must be true or false",
                "missing target | {'targetPatchVersion':'1.2.5'} | BaseNotFoundException | has no complete artifacts",
                "input-only dir is no version | {'targetPatchVersion':'1.3.0'} | BaseNotFoundException | has no complete artifacts",
            })
    void badInputIsANamedErrorAndWritesNothing(String name, String input, String error, String message) {
        BucketStore store = seededWithExamples("");
        Map<String, String> before = snapshot(bucketName(store));
        RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (var in =
                    new java.io.ByteArrayInputStream(input.replace('\'', '"').getBytes(StandardCharsets.UTF_8))) {
                generate(store).handleRequest(in, new java.io.ByteArrayOutputStream(), null);
            }
        });
        assertInstanceOf(ReleaseException.class, e, name);
        assertEquals(error, e.getClass().getSimpleName(), name + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(message), name + ": " + e.getMessage());
        assertEquals(before, snapshot(bucketName(store)), name + ": the bucket changed");
    }

    @Test
    void aFaultInTheMiddle_leavesNoManifest_andARerunWithForceCompletes() {
        BucketStore seeded = seededWithExamples("");
        AtomicInteger puts = new AtomicInteger();
        ExecutionInterceptor failFifthPut = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutObjectRequest put
                        && !put.key().endsWith(".lock")
                        && puts.incrementAndGet() == 5) {
                    throw new IllegalStateException("injected fault: connection reset writing " + put.key());
                }
            }
        };
        try (S3Client faulty = MiniStack.s3Builder(EMULATOR.ministack().endpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(failFifthPut))
                .build()) {
            BucketStore store = S3Stores.open(faulty, bucketName(seeded), "", Clock.systemUTC());
            RuntimeException e = assertThrows(RuntimeException.class, () -> {
                try (var in =
                        new java.io.ByteArrayInputStream("{\"releaseType\":\"patch\",\"basePatchVersion\":\"1.2.0\"}"
                                .getBytes(StandardCharsets.UTF_8))) {
                    generate(store).handleRequest(in, new java.io.ByteArrayOutputStream(), null);
                }
            });
            assertInstanceOf(TransientFailureException.class, e);
            assertTrue(e.getMessage().contains("injected fault"), e.getMessage());
        }
        String dir = "build_artifacts/v1/v1.2/v1.2.1";
        assertFalse(seeded.isComplete(dir), "no manifest after the fault");
        assertThrows(
                BaseNotFoundException.class,
                () -> generate(seeded).generate(json("{'targetPatchVersion':'1.2.1'}")),
                "an incomplete version is not buildable");
        assertThrows(
                VersionExistsException.class,
                () -> generate(seeded).generate(json("{'releaseType':'patch','basePatchVersion':'1.2.0'}")),
                "the leftover needs force");
        generate(seeded).generate(json("{'releaseType':'patch','basePatchVersion':'1.2.0','force':true}"));
        assertTrue(seeded.isComplete(dir));
    }

    @Test
    void finalizeWritesChangelogsReleaseNotesAndReleaseJsonFromThePushReports() throws Exception {
        BucketStore store = seededWithExamples("");
        ObjectNode plan = generate(store)
                .generate(json("{'releaseType':'patch','basePatchVersion':'1.2.0',"
                        + "'targetEcrRepos':['127.0.0.1:5001/smd','127.0.0.1:5002/smd']}"));
        String dir = "build_artifacts/v1/v1.2/v1.2.1";
        // what the two builds write back: env.out files and push reports
        for (String type : List.of("cpu", "gpu")) {
            String envOut = Trees.read(Trees.examples().resolve("build_artifacts/v1/v1.2/v1.2.0/" + type + ".env.out"))
                    .replace("numpy-1.26.4-py312heda63a1_0", "numpy-1.26.5-py312heda63a1_0");
            store.write(dir + "/" + type + ".env.out", envOut.getBytes(StandardCharsets.UTF_8));
            String digest = "sha256:" + "ab".repeat(31) + (type.equals("cpu") ? "01" : "02");
            ObjectNode report = JSON.createObjectNode().put("imageType", type);
            for (String repo : List.of("127.0.0.1:5001/smd", "127.0.0.1:5002/smd")) {
                ObjectNode entry = report.with("repositories").putObject(repo).put("status", "pushed");
                for (JsonNode tag :
                        plan.get("builds").get(type.equals("gpu") ? 0 : 1).get("tags")) {
                    entry.with("tags").put(tag.asText(), digest);
                }
            }
            store.write(dir + "/push-report-" + type + ".json", JSON.writeValueAsBytes(report));
        }

        ObjectNode input = JSON.createObjectNode();
        input.set("plan", plan);
        input.putArray("builds");
        ObjectNode summary = new FinalizeHandler(settings(store), store, Clock.systemUTC()).finalizeRelease(input);

        assertEquals(
                "s3://" + bucketName(store) + "/" + dir + "/release.json",
                summary.get("releaseJson").asText());
        assertEquals(
                "s3://" + bucketName(store) + "/" + dir + "/CHANGELOG-cpu.md",
                summary.get("changelogs").get("cpu").asText());
        JsonNode release = JSON.readTree(store.read(dir + "/release.json").orElseThrow());
        assertEquals("1.2.1", release.get("version").asText());
        assertEquals("1.2.0", release.get("sourceVersion").asText());
        assertEquals(
                "sha256:" + "ab".repeat(31) + "01",
                release.at("/images/cpu/digests/127.0.0.1:5002~1smd").asText());
        assertEquals(
                "[\"1.2.1-gpu\",\"1.2-gpu\",\"1-gpu\",\"latest-gpu\"]",
                release.at("/images/gpu/tags").toString());
        assertEquals(
                Trees.sha256(store.read(dir + "/cpu.env.out").orElseThrow()),
                release.at("/images/cpu/envOutSha256").asText());

        String changelog = new String(store.read(dir + "/CHANGELOG-cpu.md").orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(changelog.startsWith("# Change log: 1.2.1 (cpu)\n"), changelog);
        assertTrue(changelog.contains("numpy|1.26.4|1.26.5|patch"), changelog);
        // the same documents the CLI computes from the same files
        Path local = work.resolve("pulled");
        TreeTransfer.pullVersion(store, "build_artifacts/v1/v1.2/v1.2.0", new LocalDirStore(local));
        TreeTransfer.pullVersion(store, dir, new LocalDirStore(local));
        var documents = new ChangelogGenerator(new LocalDirStore(local), ImageConfigs.builtIn())
                .plan(SemVer.parseImageVersion("1.2.1"));
        for (var file : documents.files().entrySet()) {
            assertEquals(file.getValue(), new String(store.read(file.getKey()).orElseThrow(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void finalizeFailsClearlyWhenARepositoryWasNotPushed() throws Exception {
        BucketStore store = seededWithExamples("");
        ObjectNode plan = generate(store)
                .generate(json("{'releaseType':'patch','basePatchVersion':'1.2.0',"
                        + "'targetEcrRepos':['127.0.0.1:5001/smd'],'imageTypes':['cpu']}"));
        String dir = "build_artifacts/v1/v1.2/v1.2.1";
        store.write(
                dir + "/cpu.env.out",
                Trees.read(Trees.examples().resolve("build_artifacts/v1/v1.2/v1.2.0/cpu.env.out"))
                        .getBytes(StandardCharsets.UTF_8));
        store.write(
                dir + "/push-report-cpu.json",
                ("{\"imageType\":\"cpu\",\"repositories\":{\"127.0.0.1:5001/smd\":"
                                + "{\"status\":\"failed\",\"error\":\"connection refused\"}}}")
                        .getBytes(StandardCharsets.UTF_8));
        ObjectNode input = JSON.createObjectNode();
        input.set("plan", plan);
        MissingArtifactException e = assertThrows(
                MissingArtifactException.class,
                () -> new FinalizeHandler(settings(store), store, Clock.systemUTC()).finalizeRelease(input));
        assertTrue(
                e.getMessage().contains("127.0.0.1:5001/smd was not pushed (failed connection refused)"),
                e.getMessage());
        assertFalse(store.exists(dir + "/release.json"));
    }

    @Test
    void nightlyScheduleUpdatesOnS3AreConditionalAndAllLand() throws Exception {
        BucketStore store = store(newBucket(), "");
        io.smdrelease.nightly.NightlyScheduleStore schedules = new io.smdrelease.nightly.NightlyScheduleStore(store);
        int writers = 6;
        var outcomes = Concurrently.run(writers, i -> () -> schedules.update(s -> s.addNextVersions("4." + i + ".1")));
        assertTrue(outcomes.stream().allMatch(Concurrently.Outcome::succeeded), outcomes.toString());
        assertEquals(writers, schedules.read().patchBaseVersions().size());
        // a stale token is refused
        var revision =
                store.readRevision(io.smdrelease.nightly.NightlySchedule.FILE).orElseThrow();
        byte[] changed = schedules.read().addNextVersions("9.9.9").toJson();
        assertTrue(store.writeIfUnchanged(io.smdrelease.nightly.NightlySchedule.FILE, changed, revision.token()));
        assertFalse(
                store.writeIfUnchanged(
                        io.smdrelease.nightly.NightlySchedule.FILE, revision.content(), revision.token()),
                "a write based on a stale revision is refused");
        store.write(io.smdrelease.nightly.NightlySchedule.FILE, revision.content());

        ObjectNode plan = new NightlyPlanHandler(
                        store,
                        Clock.fixed(java.time.Instant.parse("2026-11-25T00:00:00Z"), java.time.ZoneOffset.UTC),
                        List.of("127.0.0.1:5000/smd"))
                .plan();
        assertEquals("2026-11-25", plan.get("night").asText());
        assertEquals(
                writers, plan.get("releases").size(), "one patch nightly per patch base (x.y.1 adds no minor base)");
        JsonNode first = plan.get("releases").get(0);
        assertEquals("nightly-patch-4.0.1-2026-11-25", first.get("name").asText());
        assertEquals(
                "{\"releaseType\":\"patch\",\"basePatchVersion\":\"4.0.1\",\"force\":true,"
                        + "\"targetEcrRepos\":[\"127.0.0.1:5000/smd\"]}",
                first.get("input").toString());
    }
}
