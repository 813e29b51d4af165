"""README.rst documents every ``RAQMYA_*`` setting and feature toggle that the package annotates, with its default."""

import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
ANNOTATION = re.compile(r"# \.\. setting_name: (RAQMYA_\w+)\s*\n\s*# \.\. setting_default: (.+)")
# Boolean settings are annotated as feature toggles, as edx-lint requires: name, implementation, default.
TOGGLE_ANNOTATION = re.compile(
    r"# \.\. toggle_name: (RAQMYA_\w+)\s*\n\s*# \.\. toggle_implementation: .+\n\s*# \.\. toggle_default: (.+)"
)


def _annotated_settings():
    settings = {}
    for path in [*REPOSITORY.glob("raqmya_reports/**/*.py"), *REPOSITORY.glob("raqmya_xblocks/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        for name, default in [*ANNOTATION.findall(text), *TOGGLE_ANNOTATION.findall(text)]:
            settings[name] = default.strip()
    return settings


def test_readme_documents_every_setting():
    readme = (REPOSITORY / "README.rst").read_text(encoding="utf-8")
    settings = _annotated_settings()
    assert len(settings) >= 20
    assert settings["RAQMYA_COHORT_AUTO_ASSIGN"] == "False"
    assert settings["RAQMYA_ENFORCE_TRACK_ENROLLMENT"] == "False"
    for name, default in settings.items():
        assert f"``{name}`` (default ``{default}``)" in readme, f"README.rst does not document {name} = {default}"
