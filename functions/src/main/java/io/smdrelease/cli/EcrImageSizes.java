package io.smdrelease.cli;

import io.smdrelease.reports.ImageSizes;
import java.util.List;
import java.util.OptionalLong;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;

/** Image sizes from ECR's DescribeImages ({@code imageSizeInBytes}) in one repository of one account. */
final class EcrImageSizes implements ImageSizes {
    private final EcrClient ecr;
    private final String repository;
    private final String account;

    EcrImageSizes(EcrClient ecr, String repository, String account) {
        this.ecr = ecr;
        this.repository = repository;
        this.account = account;
    }

    @Override
    public OptionalLong sizeOf(String tag) {
        DescribeImagesResponse response;
        try {
            response = ecr.describeImages(r -> r.repositoryName(repository).registryId(account)
                    .imageIds(List.of(ImageIdentifier.builder().imageTag(tag).build())));
        } catch (ImageNotFoundException e) {
            return OptionalLong.empty();
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
