package io.smdrelease.oci;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long a registry call may keep trying after a 429, a 5xx or an I/O error: at most {@code maxAttempts} attempts,
 * each wait the registry's {@code Retry-After} (else {@code firstBackoff} doubling) capped at {@code maxWait}, and no
 * wait that would end after {@code budget} since the first attempt.
 */
public record RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxWait, Duration budget) {

    /** 6 attempts, 1 s doubling, waits of at most 30 s, 2 minutes in all. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(2));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (firstBackoff.isNegative() || maxWait.isNegative() || budget.isNegative()) {
            throw new IllegalArgumentException(
                    "durations must not be negative: " + firstBackoff + ", " + maxWait + ", " + budget);
        }
    }

    /** The wait before attempt {@code attempt + 1} (attempt counts from 1): Retry-After when given, capped. */
    Duration waitAfter(int attempt, Optional<Duration> retryAfter) {
        Duration backoff = firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        Duration wait = retryAfter.orElse(backoff);
        return wait.compareTo(maxWait) > 0 ? maxWait : wait;
    }

    /**
     * {@code Retry-After} as a duration: delay-seconds or an HTTP-date (RFC 9110 §10.2.3); empty when absent or
     * unreadable. A date in the past is a wait of zero.
     */
    static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
        return headers.firstValue("Retry-After").flatMap(value -> parseRetryAfter(value.trim(), now));
    }

    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value.matches("[0-9]{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
