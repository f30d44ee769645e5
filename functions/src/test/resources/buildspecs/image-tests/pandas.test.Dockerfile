# Stand-in for pandas.test.Dockerfile (the real one installs pytest with micromamba: network). Fails on the
# stand-in image: it expects pandas 3, the image has 2.2.3.
ARG SAGEMAKER_DISTRIBUTION_IMAGE
FROM $SAGEMAKER_DISTRIBUTION_IMAGE
CMD ["sh", "-c", "micromamba env export --explicit | grep -q '/pandas-3\\.' || { echo 'stand-in pandas tests: pandas 3 expected, 1 failed' >&2; exit 1; }"]
