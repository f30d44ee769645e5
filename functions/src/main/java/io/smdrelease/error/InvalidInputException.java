package io.smdrelease.error;

/** A value given by the user is malformed or not allowed (a version, a flag, an env file line). */
public class InvalidInputException extends ReleaseException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
