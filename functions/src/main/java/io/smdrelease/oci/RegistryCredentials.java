package io.smdrelease.oci;

import java.util.Optional;

/**
 * User name and password for a registry host, sent as Basic auth (ECR's tokens are such a pair) or to a registry's
 * token service on a Bearer challenge. Empty: anonymous.
 */
@FunctionalInterface
public interface RegistryCredentials {

    /** No credentials for any registry: anonymous pulls and pushes, Bearer challenges answered anonymously. */
    RegistryCredentials ANONYMOUS = host -> Optional.empty();

    Optional<Credentials> forHost(String host);

    /**
     * @param preemptive send Basic auth with every request, without waiting for a 401 (ECR, which always wants it)
     */
    record Credentials(String username, String password, boolean preemptive) {
        @Override
        public String toString() {
            return "Credentials[" + username + ", ****]";
        }
    }

    /** These credentials for the hosts this one has none for. */
    default RegistryCredentials orElse(RegistryCredentials other) {
        return host -> forHost(host).or(() -> other.forHost(host));
    }
}
