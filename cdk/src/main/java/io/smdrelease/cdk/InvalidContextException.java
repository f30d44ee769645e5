package io.smdrelease.cdk;

import java.util.List;

/** One or more CDK context values are missing or malformed; every message names its context key. */
public final class InvalidContextException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidContextException(List<String> problems) {
        super("Invalid CDK context (set it in cdk.json or with -c key=value):\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
