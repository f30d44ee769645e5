# Stand-in image test of the local pipeline (see ../../../../README.md): passes when pytorch is in the image's environment.
ARG SAGEMAKER_DISTRIBUTION_IMAGE
FROM $SAGEMAKER_DISTRIBUTION_IMAGE
CMD ["sh", "-c", "micromamba env export --explicit | grep '/pytorch-[0-9]' && echo 'pytorch: stand-in test passed'"]
