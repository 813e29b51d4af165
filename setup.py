"""Packaging for openedx-raqmya: the XBlocks and the reports plugin app."""

import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def load_requirements(path):
    """Return the requirement lines of ``path``, without comments, options or nested files."""
    requirements = []
    with open(os.path.join(HERE, path), encoding="utf-8") as lines:
        for line in lines:
            line = re.sub(r"#.*", "", line).strip()
            if line and not line.startswith("-"):
                requirements.append(line)
    return requirements


def read_version():
    """Return ``__version__`` from raqmya_reports/__init__.py without importing Django."""
    with open(os.path.join(HERE, "raqmya_reports", "__init__.py"), encoding="utf-8") as source:
        return re.search(r'^__version__ = "([^"]+)"', source.read(), re.MULTILINE).group(1)


with open(os.path.join(HERE, "README.rst"), encoding="utf-8") as readme:
    LONG_DESCRIPTION = readme.read()

setup(
    name="openedx-raqmya",
    version=read_version(),
    description="XBlocks and a reports plugin for a national digital-skills programme on Open edX",
    long_description=LONG_DESCRIPTION,
    long_description_content_type="text/x-rst",
    license="Apache-2.0",
    packages=find_packages(include=["raqmya_xblocks", "raqmya_xblocks.*", "raqmya_reports", "raqmya_reports.*"]),
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.11",
    install_requires=load_requirements("requirements/base.in"),
    entry_points={
        "xblock.v1": [
            "raqmya_assessment = raqmya_xblocks.assessment.block:AssessmentBlock",
            "raqmya_placement = raqmya_xblocks.placement.block:PlacementBlock",
        ],
        "openedx.user_partition_scheme": [
            "raqmya_track = raqmya_reports.partitions:TrackPartitionScheme",
        ],
        # Adds the track partition to every course, so authors can restrict units in Studio at once.
        "openedx.dynamic_partition_generator": [
            "raqmya_track = raqmya_reports.partitions:create_track_partition",
        ],
        "lms.djangoapp": [
            "raqmya_reports = raqmya_reports.apps:RaqmyaReportsConfig",
        ],
        "cms.djangoapp": [
            "raqmya_reports = raqmya_reports.apps:RaqmyaReportsConfig",
        ],
    },
    classifiers=[
        "Framework :: Django",
        "Framework :: Django :: 5.2",
        "License :: OSI Approved :: Apache Software License",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
