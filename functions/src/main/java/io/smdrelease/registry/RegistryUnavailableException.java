package io.smdrelease.registry;

/** The registry did not answer, or kept answering 5xx or 429 until the retry budget ran out: try again later. */
public final class RegistryUnavailableException extends RegistryException {
    public RegistryUnavailableException(
            String repository, String reference, int status, String answer, String message, Throwable cause) {
        super(repository, reference, status, answer, message, cause);
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
