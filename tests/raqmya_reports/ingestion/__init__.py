"""Tests of the ingestion: facts, receivers and the tracking-log import."""
