package io.smdrelease.aws.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EcrRegistryCredentialsTest {
    private final EcrRegistryCredentials credentials = new EcrRegistryCredentials(
            region -> {
                throw new AssertionError("no token is fetched for a host that is not ECR");
            },
            EcrRegistryCredentials.parseHosts("127.0.0.1:4566=eu-west-1 vpce.example=us-east-2"),
            Clock.systemUTC());

    @Test
    void ecrHostsAndMappedHostsHaveARegion_othersNone() {
        assertEquals(Optional.of("us-west-2"), credentials.regionOf("123456789012.dkr.ecr.us-west-2.amazonaws.com"));
        assertEquals(Optional.of("eu-west-1"), credentials.regionOf("127.0.0.1:4566"));
        assertEquals(Optional.of("us-east-2"), credentials.regionOf("vpce.example"));
        assertEquals(Optional.empty(), credentials.regionOf("public.ecr.aws"));
        assertEquals(Optional.empty(), credentials.forHost("127.0.0.1:5000"));
    }

    @Test
    void badHostsEntry_isNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EcrRegistryCredentials.parseHosts("a=b c"));
        assertTrue(e.getMessage().contains("ECR_REGISTRY_HOSTS entry 'c'"), e.getMessage());
        assertEquals(Map.of(), EcrRegistryCredentials.parseHosts("  "));
    }
}
