"""Tests of the registry: reference data, columns, forms."""
