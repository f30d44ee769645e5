package io.smdrelease.error;

/** The packages a release adds take more of the image than the size gate allows. */
public class SizeLimitExceededException extends ReleaseException {
    public SizeLimitExceededException(String message) {
        super(message);
    }
}
