package io.smdrelease.signing;

import java.time.Instant;

/**
 * What a verification established about a signature.
 *
 * @param signingTime           the signed signing time
 * @param certificateSubject    the signing certificate's subject (RFC 2253)
 * @param certificateThumbprint SHA-256 hex of the signing certificate's DER
 */
public record VerifiedSignature(Instant signingTime, String certificateSubject, String certificateThumbprint) {}
