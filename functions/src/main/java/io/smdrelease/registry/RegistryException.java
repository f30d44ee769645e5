package io.smdrelease.registry;

/**
 * Root of the registry errors. Each names the repository, the tag or digest, what was tried and what the registry
 * answered ({@link #status()} is 0 when it did not answer at all). {@link #isTransient()} tells whether trying again
 * later may succeed: {@link RegistryUnavailableException} (5xx, 429 after the retry budget, I/O) or not:
 * {@link RegistryRejectedException} (401, 403, 404, 400, a manifest the registry rewrote).
 */
public abstract sealed class RegistryException extends RuntimeException
        permits RegistryUnavailableException, RegistryRejectedException {
    private final String repository;
    private final String reference;
    private final int status;
    private final String answer;

    protected RegistryException(
            String repository, String reference, int status, String answer, String message, Throwable cause) {
        super(message, cause);
        this.repository = repository;
        this.reference = reference;
        this.status = status;
        this.answer = answer;
    }

    /** The repository ({@code host[:port]/path}) the failed request was for. */
    public String repository() {
        return repository;
    }

    /** The tag or digest the failed request was for. */
    public String reference() {
        return reference;
    }

    /** The HTTP status the registry answered, 0 when it did not answer (connection refused, timeout). */
    public int status() {
        return status;
    }

    /** What the registry answered (its error code and message, or the I/O error), for people. */
    public String answer() {
        return answer;
    }

    public abstract boolean isTransient();
}
