"""Packaging for tutor-contrib-raqmya: the Tutor plugin that deploys openedx-raqmya."""

import os
import re

from setuptools import setup

HERE = os.path.dirname(os.path.abspath(__file__))


def read_version():
    """Return ``__version__`` from tutorraqmya/__about__.py without importing Tutor."""
    with open(os.path.join(HERE, "tutorraqmya", "__about__.py"), encoding="utf-8") as source:
        return re.search(r'^__version__ = "([^"]+)"', source.read(), re.MULTILINE).group(1)


with open(os.path.join(HERE, "README.rst"), encoding="utf-8") as readme:
    LONG_DESCRIPTION = readme.read()

setup(
    name="tutor-contrib-raqmya",
    version=read_version(),
    description="Tutor plugin that installs and configures openedx-raqmya on an Open edX platform",
    long_description=LONG_DESCRIPTION,
    long_description_content_type="text/x-rst",
    license="Apache-2.0",
    packages=["tutorraqmya"],
    package_data={"tutorraqmya": ["patches/*", "jobs/*"]},
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.9",
    # Tutor 21 runs Open edX Ulmo and Tutor 22 runs Verawood: the two releases the package supports.
    install_requires=["tutor>=21.0.0,<23.0.0"],
    entry_points={
        "tutor.plugin.v1": [
            "raqmya = tutorraqmya.plugin",
        ],
    },
    classifiers=[
        "License :: OSI Approved :: Apache Software License",
        "Programming Language :: Python :: 3",
    ],
)
