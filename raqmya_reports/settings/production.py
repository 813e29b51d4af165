"""Production settings of the reports app: values a deployment passes through ``ENV_TOKENS``."""


def plugin_settings(settings):
    """Override the ``RAQMYA_*`` defaults with the values in the LMS or Studio YAML configuration."""
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    for name, value in env_tokens.items():
        if name.startswith("RAQMYA_"):
            setattr(settings, name, value)
