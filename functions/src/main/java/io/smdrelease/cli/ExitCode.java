package io.smdrelease.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** The CLI's exit codes: the only list of them. {@link Main} puts it in every command's help and in picocli's. */
public enum ExitCode {
    OK(0, "Success."),
    INTERNAL_ERROR(1, "Internal error (a bug or an unreachable store): run again with --stacktrace and report it."),
    USER_ERROR(2, "User error: bad flags or input, missing base, version exists. The message says how to fix it."),
    BUILD_FAILED(
            3,
            "A build, test or push step failed (build), or the release did (release: a gate, a promotion, the"
                    + " execution watched): the output says which and what next.");

    private final int code;
    private final String description;

    ExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    public int code() {
        return code;
    }

    public String description() {
        return description;
    }

    /** The help's "Exit codes:" list: code → description, in order. */
    static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode exitCode : values()) {
            list.put(Integer.toString(exitCode.code), exitCode.description);
        }
        return list;
    }
}
