# Never runs on the stand-in image: tensorflow is not in its env.out.
ARG BASE_IMAGE
FROM $BASE_IMAGE
RUN exit 1
