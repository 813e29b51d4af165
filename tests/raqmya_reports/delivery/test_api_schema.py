"""The OpenAPI schema's description of itself: the product's title in the caller's language, and the version."""

import json

import pytest

import raqmya_reports
from tests.raqmya_reports.delivery.scoping import Role, make_reader

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language, title", [
    ("fr", "Raqmya pour Open edX : API des rapports"),
    ("ar", "رقمية لـ Open edX: واجهة برمجة التقارير"),
])
def test_api_schema_names_product_and_version(client, language, title):
    client.force_login(make_reader("boss", Role.PROGRAMME_MANAGER))
    response = client.get("/api/raqmya/v1/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE=language)
    info = json.loads(response.content)["info"]
    # French typography puts a no-break space before the colon.
    assert info["title"].replace("\u00a0", " ") == title
    assert info["version"] == raqmya_reports.__version__
    assert info["version"] != "0.0.0"
    assert "RAQMYA_MIN_CELL_SIZE" in info["description"]
