package io.smdrelease.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Indented JSON for the commands' {@code --json} output; the mapper is created on first use, not at start-up. */
final class JsonOutput {
    private JsonOutput() {}

    private static final class Holder {
        static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    static String pretty(Object value) throws JsonProcessingException {
        return Holder.PRETTY.writeValueAsString(value);
    }

    /** A store path where a user finds it: {@code s3://bucket/build_artifacts/…} or {@code /checkout/build_artifacts/…}. */
    static String where(String location, String path) {
        return location.endsWith("/") ? location + path : location + "/" + path;
    }
}
