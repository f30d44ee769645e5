package io.smdrelease.error;

/**
 * A built image carries the wrong variant of a package: a CPU build of a framework in a gpu image, or a CUDA build in
 * a cpu image.
 */
public class VariantMismatchException extends ReleaseException {
    public VariantMismatchException(String message) {
        super(message);
    }
}
