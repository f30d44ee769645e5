package io.smdrelease.cdk;

import software.amazon.awscdk.services.codebuild.CfnProject;
import software.amazon.awscdk.services.codebuild.IProject;
import software.amazon.awscdk.services.codebuild.ISource;
import software.amazon.awscdk.services.codebuild.SourceConfig;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * A CodeBuild S3 source for an asset (the zipped buildspecs/ folder) that grants nothing by itself.
 *
 * <p>{@code Source.s3} grants {@code s3:GetObject*}, {@code s3:GetBucket*} and {@code s3:List*} (wildcard actions);
 * {@link ImageBuildProjects} grants the four actions CodeBuild documents for an S3 source instead, on the asset object
 * and its bucket only.
 */
final class S3AssetSource implements ISource {
    private final Asset asset;

    S3AssetSource(Asset asset) {
        this.asset = asset;
    }

    @Override
    public Boolean getBadgeSupported() {
        return false;
    }

    @Override
    public String getType() {
        return "S3";
    }

    @Override
    public SourceConfig bind(Construct scope, IProject project) {
        return SourceConfig.builder()
                .sourceProperty(CfnProject.SourceProperty.builder()
                        .type("S3")
                        .location(asset.getS3BucketName() + "/" + asset.getS3ObjectKey())
                        .build())
                .build();
    }
}
