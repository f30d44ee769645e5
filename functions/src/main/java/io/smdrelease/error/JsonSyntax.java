package io.smdrelease.error;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.regex.Pattern;

/** A JSON parser's complaint in a user's words: where, and what, without the parser's internals. */
public final class JsonSyntax {
    /** Jackson's location suffix, {@code [Source: REDACTED (...); line: 1, column: 27]}. */
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)\\]");

    private JsonSyntax() {}

    /** {@code at line 2, column 1: Unexpected end-of-input ... (start marker at line 1, column 27)}. */
    public static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        message = message.lines().findFirst().orElse("");
        message = SOURCE_LOCATION.matcher(message).replaceAll("line $1, column $2");
        JsonLocation at = e.getLocation();
        return (at == null || at.getLineNr() < 0 ? "" : "at line " + at.getLineNr() + ", column " + at.getColumnNr())
                + (message.isEmpty() ? "" : ": " + message);
    }
}
