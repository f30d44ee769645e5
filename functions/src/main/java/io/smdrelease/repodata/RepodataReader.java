package io.smdrelease.repodata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.smdrelease.error.InvalidInputException;
import io.smdrelease.error.JsonSyntax;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Streams {@code repodata.json} (plain or zstd-compressed, told apart by the zstd magic number) into a
 * {@link RepodataIndex}: one pass of Jackson's token parser, never a tree of the document. Reads the records of
 * {@code packages} ({@code .tar.bz2}) and {@code packages.conda}; of each record {@code name}, {@code version},
 * {@code build}, {@code build_number}, {@code size}, {@code timestamp} and {@code depends}, skipping the rest.
 */
public final class RepodataReader {
    private static final byte[] ZSTD_MAGIC = {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD};
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private RepodataReader() {}

    /**
     * Reads every source into one index; the index lists them in the given order. Downloads run in parallel (one
     * thread per source, at most as many as there are processors), since they mostly wait for the network; local
     * files are read one after the other: parsing is CPU-bound, and on the 2-core build machine reading two files
     * at once was no faster and raised the peak heap (RepodataBench). When several fail, the first one's error is
     * thrown.
     */
    public static RepodataIndex read(List<RepodataSource> sources) {
        if (sources.size() <= 1 || sources.stream().noneMatch(RepodataSource::isUrl)) {
            RepodataIndex.Builder builder = new RepodataIndex.Builder();
            sources.forEach(source -> readSource(builder, source));
            return builder.build();
        }
        int threads = Math.min(sources.size(), Math.max(1, Runtime.getRuntime().availableProcessors()));
        ExecutorService executor = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "repodata-reader");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<RepodataIndex.Builder>> parts = new ArrayList<>();
            for (RepodataSource source : sources) {
                parts.add(executor.submit(() -> {
                    RepodataIndex.Builder part = new RepodataIndex.Builder();
                    readSource(part, source);
                    return part;
                }));
            }
            List<RepodataIndex.Builder> builders = new ArrayList<>();
            for (Future<RepodataIndex.Builder> part : parts) {
                builders.add(join(part));
            }
            return RepodataIndex.Builder.merge(builders).build();
        } finally {
            executor.shutdownNow();
        }
    }

    private static RepodataIndex.Builder join(Future<RepodataIndex.Builder> part) {
        try {
            return part.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading repodata", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void readSource(RepodataIndex.Builder builder, RepodataSource source) {
        try (InputStream in = source.open()) {
            readInto(builder, source.location(), in);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "could not read repodata " + source.location() + ": " + e.getMessage()
                            + (source.isUrl() ? " (pass --repodata with a downloaded copy to work offline)" : ""),
                    e);
        }
    }

    /** Reads one stream; {@code location} names it in messages. */
    public static RepodataIndex read(String location, InputStream in) {
        RepodataIndex.Builder builder = new RepodataIndex.Builder();
        try {
            readInto(builder, location, in);
        } catch (IOException e) {
            throw new InvalidInputException("could not read repodata " + location + ": " + e.getMessage(), e);
        }
        return builder.build();
    }

    static void readInto(RepodataIndex.Builder builder, String location, InputStream raw) throws IOException {
        int source = builder.addSource(location);
        InputStream in = decompressIfZstd(raw, location);
        try (JsonParser p = JSON.createParser(in)) {
            new Parse(builder, location, source, p).document();
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(location + ": malformed repodata JSON " + JsonSyntax.describe(e), e);
        }
    }

    private static InputStream decompressIfZstd(InputStream raw, String location) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (head.length == 4
                && head[0] == ZSTD_MAGIC[0]
                && head[1] == ZSTD_MAGIC[1]
                && head[2] == ZSTD_MAGIC[2]
                && head[3] == ZSTD_MAGIC[3]) {
            try {
                return new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), 1 << 16);
            } catch (LinkageError e) {
                throw new InvalidInputException(
                        location + " is zstd-compressed, but the zstd library has no native"
                                + " code for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                                + ": pass the uncompressed repodata.json instead",
                        e);
            }
        }
        return in;
    }

    private static String where(JsonLocation at) {
        if (at == null || at.getLineNr() < 0) {
            return "";
        }
        return " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** The state of one parse. */
    private static final class Parse {
        private final RepodataIndex.Builder builder;
        private final StringPool pool;
        private final String location;
        private final int source;
        private final JsonParser p;
        private final List<String> dependsBuffer = new ArrayList<>();

        Parse(RepodataIndex.Builder builder, String location, int source, JsonParser p) {
            this.builder = builder;
            this.pool = builder.pool();
            this.location = location;
            this.source = source;
            this.p = p;
        }

        void document() throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw structure("the document is not a JSON object");
            }
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken value = p.nextToken();
                boolean tarBz2 = field.equals("packages");
                if (tarBz2 || field.equals("packages.conda")) {
                    if (value == JsonToken.VALUE_NULL) {
                        continue;
                    }
                    if (value != JsonToken.START_OBJECT) {
                        throw structure("'" + field + "' is not an object of package records");
                    }
                    section(!tarBz2);
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw structure("the document ends early");
            }
            if (p.nextToken() != null) {
                throw structure("there is more after the document's closing '}'");
            }
        }

        private void section(boolean condaFormat) throws IOException {
            String fileName;
            while ((fileName = p.nextFieldName()) != null) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw structure("the record of " + fileName + " is not an object");
                }
                record(fileName, condaFormat);
            }
        }

        private void record(String fileName, boolean condaFormat) throws IOException {
            String name = null;
            String version = null;
            String build = "";
            int buildNumber = 0;
            long size = 0;
            long timestamp = 0;
            String[] depends = null;
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                switch (field) {
                    case "name" -> name = string(t, field, fileName);
                    case "version" -> version = string(t, field, fileName);
                    case "build" -> build = string(t, field, fileName);
                    case "build_number" -> buildNumber = (int) number(t, field, fileName);
                    case "size" -> size = number(t, field, fileName);
                    case "timestamp" -> timestamp = number(t, field, fileName);
                    case "depends" -> depends = strings(t, field, fileName);
                    default -> p.skipChildren();
                }
            }
            if (name == null || version == null) {
                throw structure("the record of " + fileName + " has no " + (name == null ? "name" : "version"));
            }
            builder.add(name, version, build, buildNumber, size, timestamp, depends, condaFormat, source);
        }

        private String string(JsonToken t, String field, String fileName) throws IOException {
            if (t != JsonToken.VALUE_STRING) {
                throw structure("'" + field + "' of " + fileName + " is not a string");
            }
            return pool.intern(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }

        private long number(JsonToken t, String field, String fileName) throws IOException {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return p.getLongValue();
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                return (long) p.getDoubleValue();
            }
            if (t == JsonToken.VALUE_NULL) {
                return 0;
            }
            throw structure("'" + field + "' of " + fileName + " is not a number");
        }

        private String[] strings(JsonToken t, String field, String fileName) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_ARRAY) {
                throw structure("'" + field + "' of " + fileName + " is not a list of strings");
            }
            dependsBuffer.clear();
            JsonToken item;
            while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
                dependsBuffer.add(string(item, field, fileName));
            }
            return dependsBuffer.toArray(new String[0]);
        }

        private InvalidInputException structure(String what) {
            return new InvalidInputException(
                    location + ": not a conda repodata file" + where(p.currentLocation()) + ": " + what);
        }
    }
}
