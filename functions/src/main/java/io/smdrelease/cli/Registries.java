package io.smdrelease.cli;

import io.smdrelease.aws.ecr.EcrRegistryCredentials;
import io.smdrelease.oci.OciRegistryClient;
import io.smdrelease.oci.RetryPolicy;
import io.smdrelease.registry.RegistryClient;

/** The registry client the CLI promotes with: ECR logins from the AWS environment, the default retry bounds. */
final class Registries {
    private Registries() {}

    static RegistryClient forCli() {
        return new OciRegistryClient(EcrRegistryCredentials.fromEnvironment(System.getenv()), RetryPolicy.DEFAULT);
    }
}
