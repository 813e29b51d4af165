"""Ingestion of learning facts into the registry: openedx-events receivers and the tracking-log import."""
