package io.smdrelease.version;

import io.smdrelease.error.InvalidInputException;
import java.util.Locale;

/** The kind of release, which decides both the version bump and the upper bounds of the new env.in files. */
public enum ReleaseType {
    PATCH,
    MINOR,
    MAJOR;

    /** The bump without prerelease: patch {@code M.m.(p+1)}, minor {@code M.(m+1).0}, major {@code (M+1).0.0}. */
    public SemVer bump(SemVer base) {
        return switch (this) {
            case PATCH -> base.bumpPatch();
            case MINOR -> base.bumpMinor();
            case MAJOR -> base.bumpMajor();
        };
    }

    /** The lower-case name used on the command line and in the state machine input. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReleaseType parse(String text) {
        if (text != null) {
            for (ReleaseType type : values()) {
                if (type.id().equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return type;
                }
            }
        }
        throw new InvalidInputException("releaseType '" + text + "' is not one of patch, minor, major");
    }
}
