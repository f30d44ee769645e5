package io.smdrelease.aws.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smdrelease.error.VersionExistsException;
import io.smdrelease.error.VersionLockedException;
import io.smdrelease.store.ArtifactFile;
import io.smdrelease.store.BucketStore;
import io.smdrelease.store.PublicationOwner;
import io.smdrelease.store.StoreException;
import io.smdrelease.store.VersionManifest;
import io.smdrelease.store.VersionPublication;
import io.smdrelease.testsupport.MiniStack;
import io.smdrelease.testsupport.MiniStackExtension;
import io.smdrelease.testsupport.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link BucketStore} on {@link S3ObjectBucket} against MiniStack's S3 on 127.0.0.1: real requests, real conditional writes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3BucketStoreIT {
    @RegisterExtension
    static final MiniStackExtension EMULATOR = new MiniStackExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String V = "build_artifacts/v4/v4.4/v4.4.1";
    private static final PublicationOwner DYING = new PublicationOwner("run-that-dies", Duration.ofHours(1));
    private static final PublicationOwner RESCUER = new PublicationOwner("rescuer", Duration.ofHours(1));

    /** A fresh versioned bucket per test. */
    static String newBucket() {
        return EMULATOR.newVersionedBucket("s3store-it");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static List<String> rawKeys(String bucket) {
        return EMULATOR.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    static VersionPublication version(Map<String, byte[]> files, boolean replace) {
        return new VersionPublication(
                V,
                ArtifactFile.regularFiles(files),
                Map.of(),
                replace,
                Set.of("cpu.additional_packages_env.in", "gpu.additional_packages_env.in"),
                "4.4.0");
    }

    static Map<String, byte[]> files(String tag, int count) {
        Map<String, byte[]> out = new TreeMap<>();
        out.put(V + "/Dockerfile", utf8("FROM base " + tag + "\n"));
        out.put(V + "/cpu.env.in", utf8("conda-forge::numpy[version='>=1.26'] " + tag + "\n"));
        out.put(V + "/dirs/usr/share/app/manifest.json", utf8("{\"name\": \"an ordinary file\"}"));
        for (int i = 0; i < count; i++) {
            out.put(V + "/dirs/etc/file-" + i + ".txt", utf8(("line " + i + " " + tag + "\n").repeat(i + 1)));
        }
        return out;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Checks the manifest against the objects in the bucket and returns its file paths. */
    static Set<String> assertConsistent(BucketStore store, String dir) throws Exception {
        VersionManifest manifest = store.manifest(dir).orElseThrow(() -> new AssertionError("no manifest in " + dir));
        Set<String> paths = new TreeSet<>();
        for (VersionManifest.Entry f : manifest.files()) {
            String path = dir + "/" + f.path();
            byte[] content = store.read(path).orElseThrow(() -> new AssertionError("manifest lists missing " + path));
            assertEquals(content.length, f.size(), "size of " + path);
            assertEquals(sha256(content), f.sha256(), "sha256 of " + path);
            paths.add(path);
        }
        assertEquals(new TreeSet<>(store.listFiles(dir)), paths, "manifest lists exactly the version's files");
        assertFalse(store.exists(dir + "/" + BucketStore.LOCK), "lock released");
        return paths;
    }

    @Test
    void ministackEnforcesIfNoneMatchStar() {
        String bucket = newBucket();
        PutObjectRequest put = PutObjectRequest.builder()
                .bucket(bucket)
                .key("k")
                .ifNoneMatch("*")
                .build();
        EMULATOR.s3().putObject(put, RequestBody.fromString("one"));
        S3Exception e =
                assertThrows(S3Exception.class, () -> EMULATOR.s3().putObject(put, RequestBody.fromString("two")));
        assertEquals(412, e.statusCode());
        assertEquals(
                "one",
                EMULATOR.s3().getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String());
        // a delete marker in a versioned bucket frees the key again
        EMULATOR.s3().deleteObject(b -> b.bucket(bucket).key("k"));
        EMULATOR.s3().putObject(put, RequestBody.fromString("three"));
        // and a conditional delete on a stale ETag is refused
        S3Exception d = assertThrows(
                S3Exception.class,
                () -> EMULATOR.s3()
                        .deleteObject(DeleteObjectRequest.builder()
                                .bucket(bucket)
                                .key("k")
                                .ifMatch("\"0000\"")
                                .build()));
        assertEquals(412, d.statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "stores/team-a", "stores/team-b/"})
    void readWriteListChildren(String prefix) {
        String bucket = newBucket();
        BucketStore store = S3Stores.open(EMULATOR.s3(), bucket, prefix, new MutableClock(T0));
        String p = prefix.isEmpty() ? "" : (prefix.endsWith("/") ? prefix : prefix + "/");
        assertEquals("s3://" + bucket + "/" + p, store.location());

        assertEquals(Optional.empty(), store.read("template/v4/Dockerfile"));
        assertFalse(store.exists("template/v4/Dockerfile"));
        assertFalse(store.isDirectory("template"));
        assertEquals(List.of(), store.listFiles("template"));
        assertEquals(List.of(), store.children("template"));

        store.write("template/v4/Dockerfile", utf8("FROM x"));
        store.write("template/v4/dirs/etc/conda/.condarc", utf8("channels: []"));
        store.write("template/v4/cpu.env.in", utf8("numpy"));
        store.write("template/v5/Dockerfile", utf8("FROM y"));
        store.write("assets/logo.svg", utf8("<svg/>"));

        assertArrayEquals(utf8("FROM x"), store.read("template/v4/Dockerfile").orElseThrow());
        assertTrue(store.exists("template/v4/cpu.env.in"));
        assertFalse(store.exists("template/v4"), "a directory is not a file");
        assertTrue(store.isDirectory("template/v4"));
        assertFalse(store.isDirectory("template/v4/Dockerfile"));
        assertFalse(store.isDirectory("templ"), "a key prefix that is not a directory");
        assertEquals(
                List.of("template/v4/Dockerfile", "template/v4/cpu.env.in", "template/v4/dirs/etc/conda/.condarc"),
                store.listFiles("template/v4"));
        assertEquals(List.of("Dockerfile", "cpu.env.in", "dirs"), store.children("template/v4"));
        assertEquals(List.of("v4", "v5"), store.children("template"));
        assertEquals(List.of("assets", "template"), store.children(""));
        assertEquals(5, store.listFiles("").size());

        Map<String, byte[]> all = store.readAll(List.of("template/v5/Dockerfile", "nope/x", "assets/logo.svg"));
        assertEquals(List.of("template/v5/Dockerfile", "assets/logo.svg"), List.copyOf(all.keySet()));
        assertArrayEquals(utf8("<svg/>"), all.get("assets/logo.svg"));

        // keys mirror the repository layout under the prefix
        assertEquals(
                List.of(
                        p + "assets/logo.svg",
                        p + "template/v4/Dockerfile",
                        p + "template/v4/cpu.env.in",
                        p + "template/v4/dirs/etc/conda/.condarc",
                        p + "template/v5/Dockerfile"),
                rawKeys(bucket));
        assertThrows(IllegalArgumentException.class, () -> store.read("../other/x"));
    }

    @Test
    void listsPastOneThousandKeysAndPagesChildren() throws Exception {
        String bucket = newBucket();
        BucketStore store = S3Stores.open(EMULATOR.s3(), bucket, "pre", new MutableClock(T0));
        List<String> expected = new ArrayList<>();
        try (ExecutorService ex = Executors.newFixedThreadPool(16)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 1005; i++) {
                String path = String.format("big/f%04d", i);
                expected.add(path);
                fs.add(ex.submit(() -> EMULATOR.s3()
                        .putObject(b -> b.bucket(bucket).key("pre/" + path), RequestBody.fromString("x"))));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertEquals(expected, store.listFiles("big"));
        assertEquals(1005, store.children("big").size());

        // small pages: common prefixes and files spread over many pages
        Set<String> children = new TreeSet<>();
        for (int d = 0; d < 12; d++) {
            store.write("tree/d" + d + "/a", utf8("a"));
            store.write("tree/d" + d + "/b/c", utf8("c"));
            children.add("d" + d);
        }
        for (int f = 0; f < 9; f++) {
            store.write("tree/f" + f, utf8("f"));
            children.add("f" + f);
        }
        BucketStore paged =
                new BucketStore(new S3ObjectBucket(EMULATOR.s3(), bucket).withPageSize(5), "pre", new MutableClock(T0));
        assertEquals(List.copyOf(children), paged.children("tree"));
        assertEquals(store.listFiles("tree"), paged.listFiles("tree"));
        assertEquals(12 * 2 + 9, paged.listFiles("tree").size());
    }

    /** Records when each PutObject/DeleteObject starts and ends, as the client sees it. */
    static final class Recorder implements ExecutionInterceptor {
        final List<String> events = new CopyOnWriteArrayList<>();

        private static String describe(Object request) {
            if (request instanceof PutObjectRequest p) {
                return "PUT " + p.key();
            }
            if (request instanceof DeleteObjectRequest d) {
                return "DELETE " + d.key();
            }
            return null;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            String d = describe(context.request());
            if (d != null) {
                events.add("start " + d);
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            String d = describe(context.request());
            if (d != null) {
                events.add("done " + d);
            }
        }
    }

    @Test
    void publishWritesEveryFileThenTheManifestLast() throws Exception {
        String bucket = newBucket();
        Recorder recorder = new Recorder();
        try (S3Client recorded =
                MiniStack.s3Builder(EMULATOR.ministack().endpoint(), recorder).build()) {
            MutableClock clock = new MutableClock(T0);
            BucketStore store = S3Stores.open(recorded, bucket, "root", clock);
            Map<String, byte[]> files = files("a", 12);
            Map<String, byte[]> side = Map.of("template/v4/Dockerfile", utf8("FROM tmpl"));
            store.write("template/v4/Dockerfile", utf8("FROM existing template"));
            store.write("template/v4.4/new.txt", new byte[0]); // unrelated
            store.publish(new VersionPublication(
                    V,
                    ArtifactFile.regularFiles(files),
                    ArtifactFile.regularFiles(Map.of(
                            "template/v4/Dockerfile",
                            utf8("FROM tmpl"),
                            "template/v4/extra.txt",
                            utf8("new side file"))),
                    Set.of(),
                    false,
                    Set.of(),
                    "4.4.0",
                    new PublicationOwner("test-owner", Duration.ofHours(1))));

            assertTrue(store.isComplete(V));
            assertEquals(
                    "FROM existing template",
                    new String(store.read("template/v4/Dockerfile").orElseThrow(), StandardCharsets.UTF_8),
                    "existing side files are not overwritten");
            assertEquals(
                    "new side file",
                    new String(store.read("template/v4/extra.txt").orElseThrow(), StandardCharsets.UTF_8));
            assertEquals(side.size(), 1);

            VersionManifest manifest = store.manifest(V).orElseThrow();
            assertEquals("4.4.1", manifest.version());
            assertEquals("4.4.0", manifest.sourceVersion());
            assertEquals(T0.toString(), manifest.createdAt());
            assertEquals(files.size(), manifest.files().size());
            for (VersionManifest.Entry f : manifest.files()) {
                byte[] content = files.get(V + "/" + f.path());
                assertNotNull(content, f.toString());
                assertEquals(content.length, f.size());
                assertEquals(sha256(content), f.sha256());
            }
            JsonNode json = JSON.readTree(store.read(V + "/manifest.json").orElseThrow());
            assertEquals("test-owner", manifest.owner());
            assertEquals(
                    List.of("version", "sourceVersion", "owner", "createdAt", "files", "directories"),
                    fieldNames(json));
            assertEquals(
                    List.of("path", "size", "sha256", "mode"),
                    fieldNames(json.get("files").get(0)),
                    "the manifest format");
            assertEquals("0644", manifest.files().get(0).mode());
            assertEquals(files.keySet(), assertConsistent(store, V));

            List<String> ev = recorder.events;
            String manifestKey = "root/" + V + "/manifest.json";
            String lockKey = "root/" + V + "/.lock";
            int manifestStart = ev.indexOf("start PUT " + manifestKey);
            assertTrue(manifestStart > 0, ev.toString());
            assertEquals(
                    1,
                    ev.stream()
                            .filter(e -> e.equals("start PUT " + manifestKey))
                            .count());
            for (String path : files.keySet()) {
                int done = ev.indexOf("done PUT root/" + path);
                assertTrue(done >= 0 && done < manifestStart, path + " written before the manifest: " + ev);
            }
            assertTrue(
                    ev.indexOf("done PUT " + lockKey) < ev.indexOf("start PUT root/" + V + "/Dockerfile"),
                    "lock first: " + ev);
            assertTrue(
                    ev.indexOf("done PUT " + manifestKey) < ev.indexOf("start DELETE " + lockKey),
                    "lock released after the manifest: " + ev);
            // the writes overlapped: some file write started before another one finished
            int firstDone = ev.indexOf(ev.stream()
                    .filter(e -> e.startsWith("done PUT root/" + V + "/d"))
                    .findFirst()
                    .orElseThrow());
            long startedBefore = ev.subList(0, firstDone).stream()
                    .filter(e -> e.startsWith("start PUT root/" + V + "/"))
                    .count();
            assertTrue(startedBefore > 2, "files are written in parallel: " + ev);

            VersionExistsException again =
                    assertThrows(VersionExistsException.class, () -> store.publish(version(files("b", 2), false)));
            assertTrue(again.getMessage().contains("s3://" + bucket + "/root/" + V), again.getMessage());
            assertTrue(again.getMessage().contains("--force"), again.getMessage());
            assertFalse(store.exists(V + "/.lock"), "a refused publish releases its lock");
            assertEquals(files.keySet(), assertConsistent(store, V), "the refused publish changed nothing");
        }
    }

    @Test
    void replaceKeepsAdditionalPackagesAndRemovesOtherOldFiles() throws Exception {
        String bucket = newBucket();
        MutableClock clock = new MutableClock(T0);
        BucketStore store = S3Stores.open(EMULATOR.s3(), bucket, "", clock);
        Map<String, byte[]> first = files("old", 3);
        first.put(V + "/cpu.additional_packages_env.in", utf8("conda-forge::jupyter-ai\n"));
        first.put(V + "/gone-later.txt", utf8("only in the first"));
        store.publish(version(first, false));
        store.write(V + "/cpu.env.out", utf8("written by the build")); // a build wrote back into the version

        clock.advance(Duration.ofHours(1));
        Map<String, byte[]> second = files("new", 1);
        second.put(V + "/cpu.additional_packages_env.in", utf8("generated, loses to the kept one\n"));
        second.put(V + "/RELEASE.md", utf8("# 4.4.1"));
        store.publish(version(second, true));

        Set<String> expected = new TreeSet<>(second.keySet());
        assertEquals(expected, assertConsistent(store, V));
        assertEquals(
                "conda-forge::jupyter-ai\n",
                new String(store.read(V + "/cpu.additional_packages_env.in").orElseThrow(), StandardCharsets.UTF_8));
        assertFalse(store.exists(V + "/gone-later.txt"));
        assertFalse(store.exists(V + "/cpu.env.out"));
        assertFalse(store.exists(V + "/dirs/etc/file-2.txt"));
        assertArrayEquals(
                second.get(V + "/Dockerfile"), store.read(V + "/Dockerfile").orElseThrow());
        assertEquals(
                T0.plus(Duration.ofHours(1)).toString(),
                store.manifest(V).orElseThrow().createdAt());

        // bucket versioning keeps the replaced objects
        List<ObjectVersion> versions = EMULATOR.s3()
                .listObjectVersions(b -> b.bucket(bucket).prefix(V + "/gone-later.txt"))
                .versions();
        assertEquals(1, versions.size());
        assertArrayEquals(
                utf8("only in the first"),
                EMULATOR.s3()
                        .getObjectAsBytes(b -> b.bucket(bucket)
                                .key(V + "/gone-later.txt")
                                .versionId(versions.get(0).versionId()))
                        .asByteArray());
    }

    @Test
    void concurrentPublishesOfOneVersion() throws Exception {
        String bucket = newBucket();
        for (int round = 0; round < 6; round++) {
            String dir = "build_artifacts/v4/v4." + round + "/v4." + round + ".0";
            List<Map<String, byte[]>> contents = new ArrayList<>();
            List<BucketStore> stores = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Map<String, byte[]> f = new TreeMap<>();
                for (int i = 0; i < 10 + w; i++) {
                    f.put(dir + "/f" + i, utf8("writer " + w + " file " + i));
                }
                contents.add(f);
                stores.add(S3Stores.open(EMULATOR.s3(), bucket, "", new MutableClock(T0)));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Throwable>> results = new ArrayList<>();
            try (ExecutorService ex = Executors.newFixedThreadPool(2)) {
                for (int w = 0; w < 2; w++) {
                    int writer = w;
                    results.add(ex.submit(() -> {
                        go.await();
                        try {
                            stores.get(writer)
                                    .publish(new VersionPublication(
                                            dir,
                                            ArtifactFile.regularFiles(contents.get(writer)),
                                            Map.of(),
                                            Set.of(),
                                            false,
                                            Set.of(),
                                            "4.3.0",
                                            new PublicationOwner("writer-" + writer, Duration.ofHours(1))));
                            return null;
                        } catch (RuntimeException e) {
                            return e;
                        }
                    }));
                }
                go.countDown();
                List<Throwable> outcomes = new ArrayList<>();
                for (Future<Throwable> r : results) {
                    outcomes.add(r.get(60, TimeUnit.SECONDS));
                }
                long successes = outcomes.stream().filter(o -> o == null).count();
                assertEquals(1, successes, "exactly one publish succeeds: " + outcomes);
                Throwable loser =
                        outcomes.stream().filter(o -> o != null).findFirst().orElseThrow();
                assertTrue(
                        loser instanceof VersionLockedException || loser instanceof VersionExistsException,
                        "the other is refused: " + loser);
                if (loser instanceof VersionLockedException) {
                    assertTrue(
                            loser.getMessage().contains("is locked by writer-")
                                    || loser.getMessage().contains("(its lock has just been released)"),
                            loser.getMessage());
                }
                int winner = outcomes.get(0) == null ? 0 : 1;
                assertEquals(contents.get(winner).keySet(), assertConsistent(stores.get(0), dir));
                for (var e : contents.get(winner).entrySet()) {
                    assertArrayEquals(
                            e.getValue(), stores.get(0).read(e.getKey()).orElseThrow());
                }
            }
        }
    }

    /** Sends every request to a dead port once armed, as if the network to S3 went away mid-publish. */
    static final class CutAfterLock implements ExecutionInterceptor {
        final int deadPort;
        final AtomicBoolean cut = new AtomicBoolean();

        CutAfterLock(int deadPort) {
            this.deadPort = deadPort;
        }

        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutObjectRequest p && p.key().endsWith("/cpu.env.in")) {
                cut.set(true);
            }
            return cut.get() ? context.httpRequest().toBuilder().port(deadPort).build() : context.httpRequest();
        }
    }

    static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aFaultMidPublishLeavesNoManifestAndALockThatRefusesOthersUntilItExpires() throws Exception {
        String bucket = newBucket();
        MutableClock clock = new MutableClock(T0);
        CutAfterLock cut = new CutAfterLock(deadPort());
        Map<String, byte[]> files = files("x", 6);
        try (S3Client flaky =
                MiniStack.s3Builder(EMULATOR.ministack().endpoint(), cut).build()) {
            BucketStore dying = S3Stores.open(flaky, bucket, "p", clock).withMaxConcurrency(1);
            StoreException e = assertThrows(
                    StoreException.class,
                    () -> dying.publish(version(files, false).ownedBy(DYING)));
            assertTrue(e.getMessage().contains("s3://" + bucket + "/p/" + V + "/"), e.getMessage());
            assertTrue(cut.cut.get());
        }
        BucketStore store = S3Stores.open(EMULATOR.s3(), bucket, "p", clock);
        assertFalse(store.isComplete(V), "no manifest after the fault");
        assertTrue(store.exists(V + "/.lock"), "the dead run could not release its lock");
        assertTrue(store.isDirectory(V), "files written before the fault are there, but incomplete");

        clock.advance(Duration.ofMinutes(10));
        VersionLockedException locked = assertThrows(
                VersionLockedException.class,
                () -> store.publish(version(files, true).ownedBy(RESCUER)));
        assertEquals(java.util.Optional.of("run-that-dies"), locked.owner());
        assertEquals(java.util.Optional.of(T0.plus(Duration.ofHours(1))), locked.expiresAt());
        assertTrue(locked.getMessage().contains("locked by run-that-dies since " + T0), locked.getMessage());
        assertTrue(
                locked.getMessage()
                        .contains("smd-release break-lock --target-patch-version 4.4.1 --store s3://" + bucket + "/p"),
                locked.getMessage());
        assertTrue(store.exists(V + "/.lock"), "a refused run does not touch someone else's lock");

        clock.advance(Duration.ofHours(1));
        store.publish(version(files, true).ownedBy(RESCUER));
        assertEquals(files.keySet(), assertConsistent(store, V), "the expired lock was taken over");
    }

    @Test
    void aDirectoryWithoutManifestIsIncomplete() throws Exception {
        String bucket = newBucket();
        BucketStore store = S3Stores.open(EMULATOR.s3(), bucket, "", new MutableClock(T0));
        assertFalse(store.isComplete(V));
        Map<String, byte[]> files = files("synced", 4);
        files.forEach(store::write); // e.g. aws s3 sync of a checkout
        assertTrue(store.isDirectory(V));
        assertFalse(store.isComplete(V), "a directory without manifest.json is incomplete");

        store.publish(version(files, false));
        assertTrue(store.isComplete(V));
        assertEquals(files.keySet(), assertConsistent(store, V));
        assertEquals("4.4.0", store.manifest(V).orElseThrow().sourceVersion());
        assertEquals(List.of("Dockerfile", "cpu.env.in", "dirs"), store.children(V), "bookkeeping is not listed");
        assertEquals(-1, store.listFiles(V).indexOf(V + "/manifest.json"));
    }

    @Test
    void publishOverAnIncompleteVersionWithoutReplaceCleansIt() throws Exception {
        String bucket = newBucket();
        BucketStore store = S3Stores.open(EMULATOR.s3(), bucket, "", new MutableClock(T0));
        store.write(V + "/leftover-from-a-failed-run.txt", utf8("x"));
        store.write(V + "/cpu.additional_packages_env.in", utf8("user's extra packages"));
        Map<String, byte[]> files = files("n", 2);
        store.publish(version(files, false));
        Set<String> expected = new TreeSet<>(files.keySet());
        expected.add(V + "/cpu.additional_packages_env.in");
        assertEquals(expected, assertConsistent(store, V));
    }

    @Test
    void breakLockDeletesWhateverLockIsThereAndSaysWhoseItWas() {
        String bucket = newBucket();
        BucketStore store = S3Stores.open(EMULATOR.s3(), bucket, "", new MutableClock(T0));
        assertEquals(java.util.Optional.empty(), store.breakLock(V));
        EMULATOR.s3()
                .putObject(
                        b -> b.bucket(bucket).key(V + "/.lock"),
                        RequestBody.fromString("{\"owner\":\"someone\",\"createdAt\":\"" + T0 + "\"}"));
        assertEquals("someone", store.breakLock(V).orElseThrow().owner(), "a live lock too: on request");
        assertFalse(store.exists(V + "/.lock"));
    }

    @Test
    void s3ErrorsNameTheBucketAndKey() {
        BucketStore store = S3Stores.open(EMULATOR.s3(), "no-such-bucket-here", "p", new MutableClock(T0));
        StoreException e = assertThrows(StoreException.class, () -> store.write("a/b", utf8("x")));
        assertTrue(e.getMessage().contains("s3://no-such-bucket-here/p/a/b"), e.getMessage());
        assertInstanceOf(S3Exception.class, e.getCause());
        StoreException r = assertThrows(StoreException.class, () -> store.read("a/b"));
        assertTrue(r.getMessage().contains("s3://no-such-bucket-here/p/a/b"), r.getMessage());
    }

    /** The most GetObject requests in flight at once. */
    static final class InFlight implements ExecutionInterceptor {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof software.amazon.awssdk.services.s3.model.GetObjectRequest) {
                max.accumulateAndGet(now.incrementAndGet(), Math::max);
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof software.amazon.awssdk.services.s3.model.GetObjectRequest) {
                now.decrementAndGet();
            }
        }
    }

    @Test
    void readAllRunsInParallelWithinTheBound() {
        String bucket = newBucket();
        List<String> paths = IntStream.range(0, 40).mapToObj(i -> "many/f" + i).toList();
        BucketStore plain = S3Stores.open(EMULATOR.s3(), bucket, "", new MutableClock(T0));
        paths.forEach(p -> plain.write(p, utf8(p)));
        for (int bound : new int[] {1, 4, BucketStore.DEFAULT_MAX_CONCURRENCY}) {
            InFlight inFlight = new InFlight();
            try (S3Client client = MiniStack.s3Builder(EMULATOR.ministack().endpoint(), inFlight)
                    .build()) {
                BucketStore store =
                        S3Stores.open(client, bucket, "", new MutableClock(T0)).withMaxConcurrency(bound);
                Map<String, byte[]> all = store.readAll(paths);
                assertEquals(paths, List.copyOf(all.keySet()), "in the order asked");
                paths.forEach(p -> assertArrayEquals(utf8(p), all.get(p)));
                assertTrue(inFlight.max.get() <= bound, "at most " + bound + ": " + inFlight.max.get());
                if (bound == 1) {
                    assertEquals(1, inFlight.max.get());
                } else {
                    assertTrue(inFlight.max.get() > 1, "parallel with bound " + bound + ": " + inFlight.max.get());
                }
            }
        }
    }

    @Test
    void smallUploadsDoNotWaitForOneHundredContinue() {
        String bucket = newBucket();
        List<String> expects = new CopyOnWriteArrayList<>();
        ExecutionInterceptor spy = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutObjectRequest p) {
                    expects.add(p.key() + " "
                            + context.httpRequest()
                                    .firstMatchingHeader("Expect")
                                    .orElse("-"));
                }
            }
        };
        try (S3Client client =
                MiniStack.s3Builder(EMULATOR.ministack().endpoint(), spy).build()) {
            BucketStore store = S3Stores.open(client, bucket, "", new MutableClock(T0));
            store.write("small", new byte[60_000]);
            store.write("large", new byte[2 * 1024 * 1024]);
            assertEquals(List.of("small -", "large 100-continue"), expects);
            assertEquals(2 * 1024 * 1024, store.read("large").orElseThrow().length);
        }
    }

    /** Runs {@code action} once, when the store sends its first file PUT (after it took the lock). */
    static ExecutionInterceptor onFirstFilePut(Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutObjectRequest p
                        && !p.key().endsWith("/.lock")
                        && done.compareAndSet(false, true)) {
                    action.run();
                }
            }
        };
    }

    @Test
    void aLockBrokenWhilePublishingStopsThePublishBeforeTheManifest() {
        String bucket = newBucket();
        ExecutionInterceptor thief = onFirstFilePut(() -> {
            EMULATOR.s3().deleteObject(b -> b.bucket(bucket).key(V + "/.lock"));
            EMULATOR.s3()
                    .putObject(
                            b -> b.bucket(bucket).key(V + "/.lock"),
                            RequestBody.fromString("{\"owner\":\"thief\",\"createdAt\":\"" + T0 + "\"}"));
        });
        try (S3Client client =
                MiniStack.s3Builder(EMULATOR.ministack().endpoint(), thief).build()) {
            BucketStore store = S3Stores.open(client, bucket, "", new MutableClock(T0));
            VersionLockedException e = assertThrows(
                    VersionLockedException.class,
                    () -> store.publish(version(files("v", 3), false)
                            .ownedBy(new PublicationOwner("victim", Duration.ofHours(1)))));
            assertTrue(e.getMessage().contains("broken or taken over"), e.getMessage());
            assertFalse(store.isComplete(V));
            assertTrue(
                    new String(store.read(V + "/.lock").orElseThrow(), StandardCharsets.UTF_8).contains("thief"),
                    "the victim leaves the thief's lock alone");
        }
    }

    @Test
    void aManifestWrittenByAnotherRunMeanwhileIsNotOverwritten() {
        String bucket = newBucket();
        ExecutionInterceptor other = onFirstFilePut(() -> EMULATOR.s3()
                .putObject(
                        b -> b.bucket(bucket).key(V + "/manifest.json"),
                        RequestBody.fromString("{\"version\":\"4.4.1\",\"files\":[]}")));
        try (S3Client client =
                MiniStack.s3Builder(EMULATOR.ministack().endpoint(), other).build()) {
            BucketStore store = S3Stores.open(client, bucket, "", new MutableClock(T0));
            VersionLockedException e =
                    assertThrows(VersionLockedException.class, () -> store.publish(version(files("v", 3), false)));
            assertTrue(e.getMessage().contains("written by another run"), e.getMessage());
            assertEquals(0, store.manifest(V).orElseThrow().files().size(), "the other run's manifest stays");
            assertFalse(store.exists(V + "/.lock"), "our lock is released");
        }
    }
}
