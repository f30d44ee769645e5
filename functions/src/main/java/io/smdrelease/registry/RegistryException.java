package io.smdrelease.registry;

/** A registry call that failed, naming the repository, the tag and what the registry answered. */
public class RegistryException extends RuntimeException {
    private final String repository;
    private final boolean transientFailure;

    public RegistryException(String repository, String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.repository = repository;
        this.transientFailure = transientFailure;
    }

    public String repository() {
        return repository;
    }

    /** Whether running again may succeed (5xx, 429 after the retry budget, I/O), as opposed to 4xx. */
    public boolean isTransient() {
        return transientFailure;
    }
}
