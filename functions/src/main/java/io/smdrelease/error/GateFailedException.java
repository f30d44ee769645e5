package io.smdrelease.error;

import java.util.List;

/** A gate failed: the candidates are not promoted. The message names each failed gate, image type and finding. */
public final class GateFailedException extends ReleaseException {
    private final List<String> failedGates;

    public GateFailedException(String message, List<String> failedGates) {
        super(message);
        this.failedGates = List.copyOf(failedGates);
    }

    /** {@code tests [gpu]}, one per failed gate and image type. */
    public List<String> failedGates() {
        return failedGates;
    }
}
