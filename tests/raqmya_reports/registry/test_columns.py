"""Tests that every model column fits MySQL's utf8mb4 index limits and edx-platform's key length."""

import pytest
from django.apps import apps
from django.db import models

KEY_FIELD_SUFFIXES = ("course_key", "usage_key")


def text_fields():
    return [
        (model, field)
        for model in apps.get_app_config("raqmya_reports").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField)
    ]


def indexed_field_names(model):
    """Return the names of the fields that an index or a unique constraint covers."""
    names = {field.name for field in model._meta.get_fields() if getattr(field, "db_index", False)}
    names |= {field.name for field in model._meta.get_fields() if getattr(field, "unique", False)}
    for constraint in model._meta.constraints:
        names |= set(getattr(constraint, "fields", ()))
    for index in model._meta.indexes:
        names |= {name.lstrip("-") for name in index.fields}
    for together in model._meta.unique_together:
        names |= set(together)
    return names


@pytest.mark.parametrize(
    "model,field", [(model, field) for model, field in text_fields() if field.name in indexed_field_names(model)],
    ids=lambda value: getattr(value, "__name__", getattr(value, "name", str(value))),
)
def test_indexed_text_column_fits_a_utf8mb4_index(model, field):
    assert field.max_length <= 191


@pytest.mark.parametrize(
    "model,field", [(model, field) for model, field in text_fields() if field.name.endswith(KEY_FIELD_SUFFIXES)],
    ids=lambda value: getattr(value, "__name__", getattr(value, "name", str(value))),
)
def test_key_column_is_255_long(model, field):
    assert field.max_length == 255


def test_key_columns_are_found():
    names = {
        f"{model.__name__}.{field.name}"
        for model, field in text_fields()
        if field.name.endswith(KEY_FIELD_SUFFIXES)
    }
    assert names == {"Course.course_key", "AssessmentResult.usage_key", "PlacementResult.usage_key"}


def test_key_columns_carry_no_index():
    indexed = {
        f"{model.__name__}.{field.name}"
        for model, field in text_fields()
        if field.name.endswith(KEY_FIELD_SUFFIXES) and field.name in indexed_field_names(model)
    }
    assert indexed == set()
