package io.smdrelease.cli;

/** The CLI's exit codes, listed in every command's help. */
public enum ExitCode {
    OK(0),
    INTERNAL_ERROR(1),
    USER_ERROR(2);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The help section, one line per code. */
    public static final String[] HELP = {
        "0:Success.",
        "1:Internal error (a bug or an unreachable store): run again with --stacktrace and report it.",
        "2:User error: bad flags or input, missing base, version exists. The message says how to fix it.",
    };
}
