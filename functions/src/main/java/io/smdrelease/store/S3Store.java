package io.smdrelease.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.MissingArtifactException;
import io.smdrelease.error.VersionExistsException;
import io.smdrelease.error.VersionLockedException;
import java.io.IOException;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bucket whose keys mirror the distribution repository under an optional key prefix:
 * {@code s3://bucket/prefix/build_artifacts/v4/v4.4/v4.4.1/cpu.env.in}.
 *
 * <p>A version directory is published (DESIGN.md "Storage layout and safety") by
 * <ol>
 *   <li>taking the lock object {@code <versionDir>/.lock} with a conditional write ({@code If-None-Match: *}),
 *       whose body is {@code {"owner", "createdAt", "token"}};</li>
 *   <li>refusing a complete version (one with {@code manifest.json}) unless the publication replaces it;</li>
 *   <li>deleting the manifest and every old object of the directory except the kept top-level files and the lock
 *       (bucket versioning keeps the old objects);</li>
 *   <li>writing the side files that do not exist yet, the files, and reading the kept files, all in parallel;</li>
 *   <li>checking that the lock is still ours and writing {@code manifest.json} last (conditionally: it must not
 *       exist), listing every file of the version (kept ones included) with its size and sha256;</li>
 *   <li>deleting the lock (only if it is still ours: a conditional delete on its ETag).</li>
 * </ol>
 * A directory without {@code manifest.json} is incomplete ({@link #isComplete}). A lock left by a dead run is never
 * broken automatically: {@link #breakStaleLock} does it on request.
 *
 * <p>The bookkeeping objects {@code manifest.json} and {@code .lock} directly inside a version directory
 * ({@code build_artifacts/vX/vX.Y/vX.Y.Z}) are not listed by {@link #listFiles} and {@link #children}, so listings
 * match a checkout; {@link #read} and {@link #exists} still see them. Files of those names deeper down are ordinary.
 *
 * <p>Reads of many files and the writes of a publication run in parallel on virtual threads (at most
 * {@link #DEFAULT_MAX_CONCURRENCY} requests at once). S3 errors other than "not found" propagate as
 * {@link StoreException} naming the operation and {@code s3://bucket/key}.
 */
public final class S3Store implements ArtifactStore {
    public static final String MANIFEST = "manifest.json";
    public static final String LOCK = ".lock";
    public static final int DEFAULT_MAX_CONCURRENCY = 32;
    public static final int DEFAULT_PAGE_SIZE = 1000;

    private static final System.Logger LOG = System.getLogger(S3Store.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Set<String> RESERVED = Set.of(MANIFEST, LOCK);
    /** The bookkeeping objects of a version directory ({@code build_artifacts/vX/vX.Y/vX.Y.Z}), hidden from listings. */
    private static final Pattern BOOKKEEPING =
            Pattern.compile("build_artifacts/[^/]+/[^/]+/[^/]+/(manifest\\.json|\\.lock)");

    private final S3Client s3;
    private final String bucket;
    private final String prefix; // "" or "a/b/"
    private final Clock clock;
    private final String owner;
    private final int maxConcurrency;
    private final int pageSize;

    /**
     * @param s3     the client (the caller owns it and closes it)
     * @param bucket the bucket name
     * @param prefix key prefix of the store's root ({@code ""}, {@code null}, {@code "a/b"} or {@code "a/b/"})
     * @param clock  time for manifests and lock ages
     */
    public S3Store(S3Client s3, String bucket, String prefix, Clock clock) {
        this(
                s3,
                checkBucket(bucket, bucket),
                normalizePrefix(prefix, prefix),
                clock,
                defaultOwner(),
                DEFAULT_MAX_CONCURRENCY,
                DEFAULT_PAGE_SIZE);
    }

    private S3Store(
            S3Client s3, String bucket, String prefix, Clock clock, String owner, int maxConcurrency, int pageSize) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = bucket;
        this.prefix = prefix;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = Objects.requireNonNull(owner, "owner");
        if (maxConcurrency < 1 || pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException(
                    "maxConcurrency must be >= 1 and pageSize 1..1000: " + maxConcurrency + ", " + pageSize);
        }
        this.maxConcurrency = maxConcurrency;
        this.pageSize = pageSize;
    }

    /** A store for {@code s3://bucket[/prefix]} using {@code s3}. */
    public static S3Store fromUri(String uri, S3Client s3, Clock clock) {
        Location loc = parseUri(uri);
        return new S3Store(s3, loc.bucket(), loc.prefix(), clock);
    }

    /**
     * A store for {@code s3://bucket[/prefix]} with a client from {@link #clientBuilder()} (region and credentials
     * from the environment).
     */
    public static S3Store fromUri(String uri) {
        Location loc = parseUri(uri);
        return new S3Store(clientBuilder().build(), loc.bucket(), loc.prefix(), Clock.systemUTC());
    }

    /**
     * The client configuration this store is made for: the JDK HTTP client (no Apache/Netty in the jar) and no
     * {@code Expect: 100-continue} on small uploads (see {@link NoExpectContinueForSmallBodies}). Region and
     * credentials come from the environment unless set on the builder. Pass further interceptors here: a later
     * {@code overrideConfiguration(...)} on the builder replaces this one.
     */
    public static S3ClientBuilder clientBuilder(ExecutionInterceptor... extraInterceptors) {
        // an endpoint override (an S3-compatible store or an emulator) is addressed path-style, as they expect
        boolean endpointOverride =
                System.getenv("AWS_ENDPOINT_URL") != null || System.getenv("AWS_ENDPOINT_URL_S3") != null;
        return S3Client.builder()
                .forcePathStyle(endpointOverride)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> {
                    c.addExecutionInterceptor(new NoExpectContinueForSmallBodies());
                    for (ExecutionInterceptor i : extraInterceptors) {
                        c.addExecutionInterceptor(i);
                    }
                });
    }

    /**
     * Removes the {@code Expect: 100-continue} header the S3 client adds to every PutObject when the body is under
     * 1 MiB. Waiting for "100 Continue" costs a network round trip per upload, doubling the time of a small PUT; for
     * the kilobyte-sized files of a release the early refusal it allows is worth nothing.
     */
    public static final class NoExpectContinueForSmallBodies implements ExecutionInterceptor {
        static final long THRESHOLD = 1024 * 1024;

        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            SdkHttpRequest request = context.httpRequest();
            if (request.firstMatchingHeader("Expect").isEmpty()) {
                return request;
            }
            long length = request.firstMatchingHeader("x-amz-decoded-content-length")
                    .or(() -> request.firstMatchingHeader("Content-Length"))
                    .map(S3Store::parseLength)
                    .orElse(Long.MAX_VALUE);
            return length < THRESHOLD
                    ? request.toBuilder().removeHeader("Expect").build()
                    : request;
        }
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The same store recording {@code owner} in the locks it takes (e.g. a Lambda request id or execution ARN). */
    public S3Store withOwner(String owner) {
        return new S3Store(s3, bucket, prefix, clock, owner, maxConcurrency, pageSize);
    }

    /** The same store with at most {@code maxConcurrency} requests at once; 1 means one at a time. */
    public S3Store withMaxConcurrency(int maxConcurrency) {
        return new S3Store(s3, bucket, prefix, clock, owner, maxConcurrency, pageSize);
    }

    /** The same store listing {@code pageSize} keys per ListObjectsV2 page (1..1000). */
    public S3Store withPageSize(int pageSize) {
        return new S3Store(s3, bucket, prefix, clock, owner, maxConcurrency, pageSize);
    }

    /** A parsed {@code s3://bucket[/prefix]}: {@code prefix} is {@code ""} or ends with {@code /}. */
    public record Location(String bucket, String prefix) {}

    /**
     * Parses {@code s3://bucket[/prefix][/]}.
     *
     * @throws InvalidInputException naming the value when it is not an s3 URI, the bucket name breaks S3's naming
     *                               rules, or the prefix has an empty, '.' or '..' segment
     */
    public static Location parseUri(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new InvalidInputException("not an s3://bucket[/prefix] URI: " + uri);
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        return new Location(checkBucket(bucket, uri), normalizePrefix(prefix, uri));
    }

    private static String checkBucket(String bucket, String what) {
        if (bucket == null
                || !BUCKET.matcher(bucket).matches()
                || bucket.contains("..")
                || IPV4.matcher(bucket).matches()
                || bucket.startsWith("xn--")
                || bucket.startsWith("sthree-")
                || bucket.endsWith("-s3alias")
                || bucket.endsWith("--ol-s3")) {
            throw new InvalidInputException("invalid S3 bucket name '" + bucket + "' in " + what
                    + ": 3-63 characters of a-z, 0-9, '.' and '-', starting and ending with a letter or digit,"
                    + " not an IP address");
        }
        return bucket;
    }

    private static String normalizePrefix(String prefix, String what) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        try {
            StorePaths.check(p);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    "invalid S3 key prefix '" + prefix + "' in " + what
                            + ": it must be relative with no empty, '.' or '..' segments",
                    e);
        }
        return p + "/";
    }

    private static String defaultOwner() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown-host";
            }
        }
        return System.getProperty("user.name", "unknown") + "@" + host + " pid "
                + ProcessHandle.current().pid();
    }

    public String bucket() {
        return bucket;
    }

    /** The key prefix of the store's root: {@code ""} or ending with {@code /}. */
    public String prefix() {
        return prefix;
    }

    /** The key of a store path. */
    public String key(String path) {
        return prefix + StorePaths.check(path);
    }

    private String dirPrefix(String dir) {
        return dir.isEmpty() ? prefix : prefix + StorePaths.check(dir) + "/";
    }

    private String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    @Override
    public String location() {
        return uri(prefix);
    }

    @Override
    public boolean tracksReleases() {
        return true;
    }

    // ---- reads ----

    @Override
    public Optional<byte[]> read(String path) {
        return readRevision(path).map(Revision::content);
    }

    @Override
    public Map<String, byte[]> readAll(Collection<String> paths) {
        List<String> list = List.copyOf(new java.util.LinkedHashSet<>(paths));
        List<Callable<Optional<byte[]>>> tasks = new ArrayList<>();
        for (String path : list) {
            tasks.add(() -> read(path));
        }
        List<Optional<byte[]>> results = runAll(tasks);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = list.get(i);
            results.get(i).ifPresent(bytes -> out.put(path, bytes));
        }
        return out;
    }

    @Override
    public boolean exists(String path) {
        String key = key(path);
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("HeadObject", key, e);
        } catch (SdkException e) {
            throw failure("HeadObject", key, e);
        }
    }

    @Override
    public boolean isDirectory(String dir) {
        String p = dirPrefix(dir);
        try {
            ListObjectsV2Response r =
                    s3.listObjectsV2(b -> b.bucket(bucket).prefix(p).maxKeys(1));
            return r.hasContents() && !r.contents().isEmpty();
        } catch (SdkException e) {
            throw failure("ListObjectsV2", p, e);
        }
    }

    @Override
    public List<String> listFiles(String dir) {
        TreeSet<String> out = new TreeSet<>();
        for (S3Object o : listAll(dirPrefix(dir), null, null)) {
            String path = o.key().substring(prefix.length());
            if (!path.isEmpty() && !path.endsWith("/") && !isBookkeeping(path)) {
                out.add(path);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<String> children(String dir) {
        String p = dirPrefix(dir);
        List<String> prefixes = new ArrayList<>();
        TreeSet<String> out = new TreeSet<>();
        for (S3Object o : listAll(p, "/", prefixes)) {
            String name = o.key().substring(p.length());
            if (!name.isEmpty() && !isBookkeeping(StorePaths.join(dir, name))) {
                out.add(name);
            }
        }
        for (String cp : prefixes) {
            String name = cp.substring(p.length(), cp.length() - 1);
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    private static boolean isBookkeeping(String path) {
        return BOOKKEEPING.matcher(path).matches();
    }

    /** Every object under {@code keyPrefix}, following ListObjectsV2 continuation tokens; common prefixes into {@code prefixesOut}. */
    private List<S3Object> listAll(String keyPrefix, String delimiter, List<String> prefixesOut) {
        List<S3Object> out = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response r;
            try {
                r = s3.listObjectsV2(b -> b.bucket(bucket)
                        .prefix(keyPrefix)
                        .delimiter(delimiter)
                        .maxKeys(pageSize)
                        .continuationToken(t));
            } catch (SdkException e) {
                throw failure("ListObjectsV2", keyPrefix, e);
            }
            out.addAll(r.contents());
            if (prefixesOut != null) {
                r.commonPrefixes().stream().map(CommonPrefix::prefix).forEach(prefixesOut::add);
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
            if (Boolean.TRUE.equals(r.isTruncated()) && token == null) {
                throw new StoreException(
                        "ListObjectsV2 " + uri(keyPrefix) + " answered a truncated page without a continuation token",
                        null);
            }
        } while (token != null);
        return out;
    }

    // ---- writes ----

    @Override
    public void write(String path, byte[] content) {
        String key = key(path);
        try {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw failure("PutObject", key, e);
        }
    }

    /** Writes {@code path} unless an object exists there (a conditional write); returns whether it wrote. */
    private boolean writeIfAbsent(String path, byte[] content) {
        return writeIfUnchanged(path, content, null);
    }

    @Override
    public Optional<Revision> readRevision(String path) {
        String key = key(path);
        try {
            ResponseBytes<GetObjectResponse> object =
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(
                    new Revision(object.asByteArray(), object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("GetObject", key, e);
        }
    }

    /** A conditional PutObject: {@code If-Match: <ETag>}, or {@code If-None-Match: *} for a new object. */
    @Override
    public boolean writeIfUnchanged(String path, byte[] content, String expectedToken) {
        String key = key(path);
        try {
            s3.putObject(
                    b -> {
                        b.bucket(bucket).key(key);
                        if (expectedToken == null) {
                            b.ifNoneMatch("*");
                        } else {
                            b.ifMatch(expectedToken);
                        }
                    },
                    RequestBody.fromBytes(content));
            return true;
        } catch (S3Exception e) {
            if (isConditionFailure(e)) {
                return false;
            }
            throw failure("PutObject (conditional)", key, e);
        } catch (SdkException e) {
            throw failure("PutObject (conditional)", key, e);
        }
    }

    @Override
    public boolean isComplete(String versionDir) {
        return exists(StorePaths.join(StorePaths.check(versionDir), MANIFEST));
    }

    @Override
    public void publish(VersionPublication publication) {
        String dir = StorePaths.check(publication.versionDir());
        for (String path : publication.files().keySet()) {
            StorePaths.check(path);
            if (RESERVED.contains(StorePaths.relativize(dir, path))) {
                throw new IllegalArgumentException(path + " is reserved for the store's bookkeeping");
            }
        }
        for (String path : publication.sideFiles().keySet()) {
            StorePaths.check(path);
        }
        Lock lock = acquireLock(dir);
        boolean published = false;
        try {
            Map<String, Long> existing = new TreeMap<>();
            for (S3Object o : listAll(dirPrefix(dir), null, null)) {
                existing.put(o.key().substring(prefix.length()), o.size());
            }
            String manifestPath = StorePaths.join(dir, MANIFEST);
            if (existing.containsKey(manifestPath) && !publication.replace()) {
                throw new VersionExistsException(existsMessage(dir));
            }
            List<String> kept = new ArrayList<>();
            for (String name : publication.keepNames()) {
                String path = StorePaths.join(dir, name);
                if (!name.contains("/") && existing.containsKey(path)) {
                    kept.add(path);
                }
            }
            // The manifest goes first (with the rest of the old files), so a failure from here on leaves the
            // version incomplete rather than complete with a stale manifest.
            List<String> stale = new ArrayList<>();
            for (String path : existing.keySet()) {
                boolean overwritten = publication.files().containsKey(path) && !path.equals(manifestPath);
                if (!path.equals(lock.path()) && !kept.contains(path) && !overwritten) {
                    stale.add(path);
                }
            }
            deleteAll(stale);

            Map<String, byte[]> toWrite = new TreeMap<>(publication.files());
            kept.forEach(toWrite::remove); // a kept file wins over a generated one of the same name
            List<Callable<ManifestEntry>> tasks = new ArrayList<>();
            for (Map.Entry<String, byte[]> side : publication.sideFiles().entrySet()) {
                tasks.add(() -> {
                    writeIfAbsent(side.getKey(), side.getValue());
                    return null;
                });
            }
            for (Map.Entry<String, byte[]> file : toWrite.entrySet()) {
                tasks.add(() -> {
                    write(file.getKey(), file.getValue());
                    return ManifestEntry.of(StorePaths.relativize(dir, file.getKey()), file.getValue());
                });
            }
            for (String path : kept) {
                tasks.add(() -> ManifestEntry.of(
                        StorePaths.relativize(dir, path),
                        read(path)
                                .orElseThrow(() -> new StoreException(
                                        uri(key(path)) + " disappeared while publishing " + dir, null))));
            }
            List<ManifestEntry> entries =
                    runAll(tasks).stream().filter(Objects::nonNull).toList();
            writeManifest(dir, publication.sourceVersion(), entries, lock, true);
            published = true;
        } finally {
            releaseLock(lock, published);
        }
    }

    /**
     * Writes the manifest of a version directory whose files are already in the bucket (e.g. uploaded by
     * {@code aws s3 sync} for {@code push-tree}): every file below it with its size and sha256, under the lock.
     *
     * @throws MissingArtifactException when the directory has no files
     * @throws VersionLockedException   when another writer holds the version
     */
    public void publishExisting(String versionDir, String sourceVersion) {
        String dir = StorePaths.check(versionDir);
        Lock lock = acquireLock(dir);
        boolean published = false;
        try {
            List<String> files = listFiles(dir).stream()
                    .filter(p -> !RESERVED.contains(StorePaths.relativize(dir, p)))
                    .toList();
            if (files.isEmpty()) {
                throw new MissingArtifactException(
                        "no files under " + uri(dirPrefix(dir)) + " to write a manifest for");
            }
            Map<String, byte[]> contents = readAll(files);
            List<ManifestEntry> entries = new ArrayList<>();
            for (String path : files) {
                byte[] bytes = contents.get(path);
                if (bytes == null) {
                    throw new StoreException(
                            uri(key(path)) + " disappeared while writing the manifest of " + dir, null);
                }
                entries.add(ManifestEntry.of(StorePaths.relativize(dir, path), bytes));
            }
            writeManifest(dir, sourceVersion, entries, lock, false);
            published = true;
        } finally {
            releaseLock(lock, published);
        }
    }

    /** The manifest of a complete version, or empty when the version is incomplete or absent. */
    public Optional<JsonNode> manifest(String versionDir) {
        return read(StorePaths.join(StorePaths.check(versionDir), MANIFEST)).map(bytes -> {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new StoreException("unreadable " + uri(key(StorePaths.join(versionDir, MANIFEST))), e);
            }
        });
    }

    /**
     * Writes the manifest after checking the lock is still ours. With {@code createOnly} (publish, which removed any
     * old manifest under the lock) the write is conditional ({@code If-None-Match: *}), so of two runs that both
     * reach this point (a lock broken by hand while its run was alive) only one completes the version.
     */
    private void writeManifest(
            String dir, String sourceVersion, List<ManifestEntry> entries, Lock lock, boolean createOnly) {
        if (!holds(lock)) {
            throw new VersionLockedException("the lock " + uri(key(lock.path())) + " was broken or taken over while "
                    + owner + " was publishing " + dir + "; the manifest was not written, so the version is"
                    + " incomplete: run again with --force once the other run has finished");
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("version", versionName(dir));
        manifest.put("sourceVersion", sourceVersion);
        manifest.put("createdAt", clock.instant().toString());
        List<Map<String, Object>> files = new ArrayList<>();
        entries.stream().sorted((a, b) -> a.path().compareTo(b.path())).forEach(e -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", e.path());
            f.put("size", e.size());
            f.put("sha256", e.sha256());
            files.add(f);
        });
        manifest.put("files", files);
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the manifest of " + dir, e);
        }
        String path = StorePaths.join(dir, MANIFEST);
        if (!createOnly) {
            write(path, bytes);
        } else if (!writeIfAbsent(path, bytes)) {
            throw new VersionLockedException(uri(key(path)) + " was written by another run while " + owner
                    + " was publishing " + dir + " (its lock " + uri(key(lock.path())) + " was broken or taken over);"
                    + " this run's manifest was not written: check the version, or run again with --force");
        }
    }

    /** {@code v4.4.1} → {@code 4.4.1}; other names as they are. */
    private static String versionName(String dir) {
        String name = StorePaths.name(dir);
        return name.length() > 1 && name.charAt(0) == 'v' && Character.isDigit(name.charAt(1))
                ? name.substring(1)
                : name;
    }

    private String existsMessage(String dir) {
        return uri(dirPrefix(dir)) + " already exists (it has a " + MANIFEST
                + "): pass --force to replace it (its *.additional_packages_env.in files are kept)";
    }

    private record ManifestEntry(String path, long size, String sha256) {
        static ManifestEntry of(String path, byte[] content) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                return new ManifestEntry(path, content.length, HexFormat.of().formatHex(md.digest(content)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void deleteAll(List<String> paths) {
        for (int from = 0; from < paths.size(); from += 1000) {
            List<ObjectIdentifier> ids = paths.subList(from, Math.min(paths.size(), from + 1000)).stream()
                    .map(p -> ObjectIdentifier.builder().key(key(p)).build())
                    .toList();
            DeleteObjectsResponse r;
            try {
                r = s3.deleteObjects(b -> b.bucket(bucket)
                        .delete(Delete.builder().objects(ids).quiet(true).build()));
            } catch (SdkException e) {
                throw failure("DeleteObjects", ids.get(0).key() + " (and " + (ids.size() - 1) + " more)", e);
            }
            if (r.hasErrors() && !r.errors().isEmpty()) {
                var err = r.errors().get(0);
                throw new StoreException(
                        "DeleteObjects " + uri(err.key()) + " failed: " + err.code() + " " + err.message() + " ("
                                + r.errors().size() + " errors)",
                        null);
            }
        }
    }

    // ---- the lock ----

    /** A lock we took: its store path, the ETag of our lock object and the token in its body. */
    private record Lock(String path, String eTag) {}

    private Lock acquireLock(String dir) {
        String path = StorePaths.join(dir, LOCK);
        String key = key(path);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("owner", owner);
        body.put("createdAt", clock.instant().toString());
        body.put("token", UUID.randomUUID().toString());
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            PutObjectResponse r = s3.putObject(
                    b -> b.bucket(bucket).key(key).ifNoneMatch("*").contentType("application/json"),
                    RequestBody.fromBytes(bytes));
            return new Lock(path, r.eTag());
        } catch (S3Exception e) {
            if (isConditionFailure(e)) {
                throw new VersionLockedException(lockedMessage(dir, path), e);
            }
            throw failure("PutObject (If-None-Match: *)", key, e);
        } catch (SdkException e) {
            throw failure("PutObject (If-None-Match: *)", key, e);
        }
    }

    private String lockedMessage(String dir, String lockPath) {
        String who = "another run";
        String since = "an unknown time";
        try {
            Optional<LockInfo> info = lockInfo(lockPath);
            if (info.isEmpty()) {
                who = "another run (its lock has just been released)";
            } else {
                who = info.get().owner();
                since = info.get().createdAt() + " ("
                        + Duration.between(info.get().createdAt(), clock.instant())
                                .withNanos(0) + " ago)";
            }
        } catch (RuntimeException e) {
            since += " (" + e.getMessage() + ")";
        }
        return "version " + versionName(dir) + " at " + uri(dirPrefix(dir)) + " is locked by " + who + " since "
                + since + ": another release of this version is running. If that run is dead, break the lock"
                + " (S3Store.breakStaleLock, or: aws s3 rm " + uri(key(lockPath)) + ") and run again with --force.";
    }

    private record LockInfo(String owner, Instant createdAt, String eTag) {}

    private Optional<LockInfo> lockInfo(String lockPath) {
        String key = key(lockPath);
        ResponseBytes<GetObjectResponse> r;
        try {
            r = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("GetObject", key, e);
        }
        String lockOwner = "an unknown owner";
        Instant createdAt = r.response().lastModified();
        try {
            JsonNode node = JSON.readTree(r.asByteArray());
            if (node.hasNonNull("owner")) {
                lockOwner = node.get("owner").asText();
            }
            if (node.hasNonNull("createdAt")) {
                createdAt = Instant.parse(node.get("createdAt").asText());
            }
        } catch (IOException | DateTimeParseException e) {
            // an unreadable lock still locks; its object's LastModified gives its age
        }
        return Optional.of(new LockInfo(lockOwner, createdAt, r.response().eTag()));
    }

    private boolean holds(Lock lock) {
        String key = key(lock.path());
        try {
            return sameETag(
                    lock.eTag(), s3.headObject(b -> b.bucket(bucket).key(key)).eTag());
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw failure("HeadObject", key, e);
        } catch (SdkException e) {
            throw failure("HeadObject", key, e);
        }
    }

    private void releaseLock(Lock lock, boolean published) {
        String key = key(lock.path());
        try {
            deleteIfMatch(key, lock.eTag());
        } catch (RuntimeException e) {
            // the version's state is decided by its manifest; a lock we could not delete is stale and is broken on
            // request, so a release failure never turns a published version into an error (nor hides the real one)
            LOG.log(
                    System.Logger.Level.WARNING,
                    "could not release " + uri(key) + " after " + (published ? "publishing" : "failing to publish")
                            + ": " + e.getMessage());
        }
    }

    /** Deletes {@code key} if its ETag is still {@code eTag}; returns whether it did. */
    private boolean deleteIfMatch(String key, String eTag) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch(eTag));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (isConditionFailure(e) || e.statusCode() == 404) {
                return false;
            }
            throw failure("DeleteObject (If-Match)", key, e);
        } catch (SdkException e) {
            throw failure("DeleteObject (If-Match)", key, e);
        }
    }

    /**
     * Breaks the lock of {@code versionDir} when it is older than {@code maxAge} (by its {@code createdAt}, else the
     * object's LastModified, against this store's clock). Never done automatically: call it when the run that took
     * the lock is known to be dead.
     *
     * @return whether a lock was deleted
     */
    public boolean breakStaleLock(String versionDir, Duration maxAge) {
        String path = StorePaths.join(StorePaths.check(versionDir), LOCK);
        Optional<LockInfo> info = lockInfo(path);
        if (info.isEmpty()) {
            return false;
        }
        Duration age = Duration.between(info.get().createdAt(), clock.instant());
        if (age.compareTo(maxAge) <= 0) {
            return false;
        }
        boolean broke = deleteIfMatch(key(path), info.get().eTag());
        if (broke) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "broke the stale lock " + uri(key(path)) + " of "
                            + info.get().owner() + " created " + info.get().createdAt() + " (" + age + " old)");
        }
        return broke;
    }

    private static boolean sameETag(String a, String b) {
        return a != null && b != null && a.replace("\"", "").equals(b.replace("\"", ""));
    }

    /** 412 PreconditionFailed, or 409 ConditionalRequestConflict (a concurrent conditional write on the key). */
    private static boolean isConditionFailure(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409;
    }

    private StoreException failure(String operation, String key, SdkException e) {
        return new StoreException(operation + " " + uri(key) + " failed: " + e.getMessage(), e);
    }

    // ---- parallelism ----

    /**
     * Runs {@code tasks} at most {@link #maxConcurrency} at a time on virtual threads (in this thread when 1) and
     * returns their results in order. When any fails, waits for the rest and throws the first failure, the others
     * suppressed.
     */
    private <R> List<R> runAll(List<Callable<R>> tasks) {
        List<R> results = new ArrayList<>(tasks.size());
        if (maxConcurrency == 1 || tasks.size() <= 1) {
            for (Callable<R> task : tasks) {
                results.add(call(task));
            }
            return results;
        }
        Semaphore permits = new Semaphore(maxConcurrency);
        List<Future<R>> futures = new ArrayList<>(tasks.size());
        RuntimeException failure = null;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Callable<R> task : tasks) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return task.call();
                    } finally {
                        permits.release();
                    }
                }));
            }
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    RuntimeException cause = asRuntime(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else if (failure.getSuppressed().length < 10) {
                        failure.addSuppressed(cause);
                    }
                    results.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(x -> x.cancel(true));
                    throw new StoreException("interrupted while waiting for S3 requests to " + location(), e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }

    private static <R> R call(Callable<R> task) {
        try {
            return task.call();
        } catch (Exception e) {
            throw asRuntime(e);
        }
    }

    private static RuntimeException asRuntime(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new StoreException(t.getMessage(), t);
    }

    @Override
    public String toString() {
        return "S3Store[" + location() + "]";
    }
}
