# Fails on the stand-in image: it expects jupyterlab 4.5, the image has 4.4.3.
ARG BASE_IMAGE
FROM $BASE_IMAGE
RUN micromamba env export --explicit | grep '/jupyterlab-' && \
    micromamba env export --explicit | grep -q '/jupyterlab-4\.5\.' || { echo "jupyterlab 4.5 expected" >&2; exit 1; }
