# Stand-in for gpu-dependencies.test.Dockerfile (the real one runs scripts/cuda_validation.py, which imports
# tensorflow and torch with CUDA). Passes on the stand-in gpu image (its image-version ends in -gpu).
ARG SAGEMAKER_DISTRIBUTION_IMAGE
FROM $SAGEMAKER_DISTRIBUTION_IMAGE
COPY scripts/cuda_validation.py .
CMD ["sh", "-c", "test -f cuda_validation.py && grep -- '-gpu$' /opt/conda/image-version"]
