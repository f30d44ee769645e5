# gpu only; the stand-in gpu image has /opt/conda/image-version ending in -gpu.
ARG BASE_IMAGE
FROM $BASE_IMAGE
RUN grep -q -- '-gpu$' /opt/conda/image-version
