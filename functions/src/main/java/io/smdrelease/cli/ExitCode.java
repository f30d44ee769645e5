package io.smdrelease.cli;

/** The CLI's exit codes, listed in every command's help. */
public enum ExitCode {
    OK(0),
    INTERNAL_ERROR(1),
    USER_ERROR(2),
    BUILD_FAILED(3);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
