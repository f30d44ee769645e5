# Stand-in image test of the local pipeline (see ../../../../README.md): passes when polars is in the image's environment.
ARG SAGEMAKER_DISTRIBUTION_IMAGE
FROM $SAGEMAKER_DISTRIBUTION_IMAGE
CMD ["sh", "-c", "micromamba env export --explicit | grep '/polars-[0-9]' && echo 'polars: stand-in test passed'"]
