package io.smdrelease.store;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Who publishes a version, as its lock and manifest record it: an execution ARN for the pipeline, {@code user@host pid
 * N} for the CLI. A lock lives at most {@code lockMaxAge} (the longest the owner can run: the state machine's maximum
 * execution time, an hour for the CLI); after that it is expired and the next publication takes it over.
 */
public record PublicationOwner(String name, Duration lockMaxAge) {
    /** How long a CLI run may hold a version's lock. */
    public static final Duration CLI_LOCK_MAX_AGE = Duration.ofHours(1);

    public PublicationOwner {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a publication owner needs a name");
        }
        Objects.requireNonNull(lockMaxAge, "lockMaxAge");
        if (lockMaxAge.isNegative() || lockMaxAge.isZero()) {
            throw new IllegalArgumentException("lockMaxAge must be positive: " + lockMaxAge);
        }
    }

    /** This process: {@code user@host pid N}, with {@link #CLI_LOCK_MAX_AGE}. */
    public static PublicationOwner thisProcess() {
        return ThisProcess.OWNER;
    }

    /** Computed once: the host name may need a name lookup. */
    private static final class ThisProcess {
        static final PublicationOwner OWNER = new PublicationOwner(
                System.getProperty("user.name", "unknown") + "@" + hostName() + " pid "
                        + ProcessHandle.current().pid(),
                CLI_LOCK_MAX_AGE);

        private static String hostName() {
            String host = System.getenv("HOSTNAME");
            if (host != null && !host.isBlank()) {
                return host;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "unknown-host";
            }
        }
    }
}
