package io.smdrelease.registry;

/**
 * The registry refused the request (401, 403, 404, 400, or it stored something else than was sent): trying again
 * will not help until the credentials, the repository or the input are fixed.
 */
public final class RegistryRejectedException extends RegistryException {
    public RegistryRejectedException(
            String repository, String reference, int status, String answer, String message, Throwable cause) {
        super(repository, reference, status, answer, message, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
