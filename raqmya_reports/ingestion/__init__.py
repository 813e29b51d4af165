"""How facts reach the registry: openedx-events receivers and the tracking-log import."""
