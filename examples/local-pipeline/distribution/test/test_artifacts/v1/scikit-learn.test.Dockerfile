# Stand-in image test of the local pipeline (see ../../../../README.md): passes when scikit-learn is in the image's environment.
ARG SAGEMAKER_DISTRIBUTION_IMAGE
FROM $SAGEMAKER_DISTRIBUTION_IMAGE
CMD ["sh", "-c", "micromamba env export --explicit | grep '/scikit-learn-[0-9]' && echo 'scikit-learn: stand-in test passed'"]
