"""The sample distribution's image tests for the local pipeline, in the shape of SageMaker Distribution's
test/test_dockerfile_based_harness.py (see ../../README.md).

buildspecs/scripts/run-tests.sh reads the cases of each image type from the @pytest.mark.parametrize lists below
(with Python's ast: nothing here is imported or run) and runs them as that harness does: it builds
test_artifacts/v<major>/<Dockerfile> FROM the image under test and runs its default command; a case whose required
packages are not all in the image's env.out is skipped.
"""

from typing import List

import pytest


@pytest.mark.cpu
@pytest.mark.parametrize(
    "dockerfile_path, required_packages",
    [
        ("numpy.test.Dockerfile", ["numpy"]),
        ("scikit-learn.test.Dockerfile", ["scikit-learn"]),
        ("polars.test.Dockerfile", ["polars"]),
    ],
)
def test_dockerfiles_for_cpu(dockerfile_path: str, required_packages: List[str]):
    """Run by buildspecs/scripts/run-tests.sh."""


@pytest.mark.gpu
@pytest.mark.parametrize(
    "dockerfile_path, required_packages",
    [
        ("numpy.test.Dockerfile", ["numpy"]),
        ("pytorch.test.Dockerfile", ["pytorch"]),
    ],
)
def test_dockerfiles_for_gpu(dockerfile_path: str, required_packages: List[str]):
    """Run by buildspecs/scripts/run-tests.sh."""
