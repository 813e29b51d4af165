"""Commands: reference-data reload, tracking-log import and report exports."""
