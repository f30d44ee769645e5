package io.smdrelease.aws.ecr;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.reports.ImageSizes;
import java.util.List;
import java.util.OptionalLong;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.EcrClientBuilder;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Image sizes from ECR's DescribeImages ({@code imageSizeInBytes}) in one repository of one account: the adapter of
 * the size report, used by the CLI's {@code generate-size-report} and the pipeline's size gate.
 */
public final class EcrImageSizes implements ImageSizes {
    private final EcrClient ecr;
    private final String repository;
    private final String account;

    public EcrImageSizes(EcrClient ecr, String repository, String account) {
        this.ecr = ecr;
        this.repository = repository;
        this.account = account;
    }

    /**
     * An ECR client with the light URL-connection HTTP client; the region from the argument, else from the AWS
     * environment. {@code AWS_ENDPOINT_URL} is honoured by the SDK.
     *
     * @param region {@code null} for the environment's region
     */
    public static EcrClient client(String region) {
        EcrClientBuilder builder = EcrClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (region != null) {
            builder.region(Region.of(region));
        }
        return builder.build();
    }

    /**
     * {@inheritDoc}
     *
     * @throws InvalidInputException when the repository does not exist
     */
    @Override
    public OptionalLong sizeOf(String tag) {
        DescribeImagesResponse response;
        try {
            response = ecr.describeImages(r -> r.repositoryName(repository)
                    .registryId(account)
                    .imageIds(List.of(ImageIdentifier.builder().imageTag(tag).build())));
        } catch (ImageNotFoundException e) {
            return OptionalLong.empty();
        } catch (RepositoryNotFoundException e) {
            throw new InvalidInputException(
                    "ECR repository " + repository + " of account " + account
                            + " does not exist in "
                            + ecr.serviceClientConfiguration().region()
                            + ": check the repository name, the account and the region",
                    e);
        }
        for (ImageDetail detail : response.imageDetails()) {
            if (detail.imageTags().contains(tag) && detail.imageSizeInBytes() != null) {
                return OptionalLong.of(detail.imageSizeInBytes());
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public String describe() {
        return "ECR repository " + repository + " of account " + account + " ("
                + ecr.serviceClientConfiguration().region() + ")";
    }
}
