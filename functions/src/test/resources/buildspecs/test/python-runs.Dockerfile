# Passes on the stand-in image: micromamba answers and lists python.
ARG BASE_IMAGE
FROM $BASE_IMAGE
RUN micromamba env export --explicit | grep -q '/python-3\.12\.'
