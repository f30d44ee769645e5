# Stand-in image test of the local pipeline (see ../../../../README.md): passes when numpy is in the image's environment.
ARG SAGEMAKER_DISTRIBUTION_IMAGE
FROM $SAGEMAKER_DISTRIBUTION_IMAGE
CMD ["sh", "-c", "micromamba env export --explicit | grep '/numpy-[0-9]' && echo 'numpy: stand-in test passed'"]
