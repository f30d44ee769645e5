package io.smdrelease.cli;

import io.smdrelease.aws.ecr.EcrRepository;
import io.smdrelease.error.InvalidInputException;
import picocli.CommandLine.Option;

/**
 * Region and credentials the AWS CLI way: {@code --region} and {@code --profile} over {@code AWS_REGION},
 * {@code AWS_PROFILE} and the rest of the SDK's default chains; {@code AWS_ENDPOINT_URL} is honoured by every client.
 */
final class AwsOptions {
    @Option(
            names = "--region",
            paramLabel = "REGION",
            description = "AWS region of the pipeline (default: AWS_REGION, then the profile's region).")
    String region;

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            description = "Named profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE, then default).")
    String profile;

    /**
     * Makes the flags the process's AWS settings, as the AWS CLI's flags apply to every call it makes: the clients this
     * command builds and those the store and the registry build for themselves all read these SDK system properties
     * before the environment.
     */
    void apply() {
        if (region != null) {
            if (!EcrRepository.isRegion(region)) {
                throw new InvalidInputException("--region '" + region + "' is not an AWS region: use e.g. us-east-1");
            }
            System.setProperty("aws.region", region);
        }
        if (profile != null) {
            if (profile.isBlank()) {
                throw new InvalidInputException("--profile is empty: name a profile of ~/.aws/config");
            }
            System.setProperty("aws.profile", profile);
        }
    }
}
