package io.smdrelease.reports;

import java.util.OptionalLong;

/** The size of a pushed image by tag, in one repository (ECR's {@code imageSizeInBytes} in the adapter). */
public interface ImageSizes {
    /** The image's size in bytes, or empty when the repository has no image with that tag. */
    OptionalLong sizeOf(String tag);

    /** The repository, for messages: {@code 123456789012/smd-staging (us-west-2)}. */
    String describe();
}
