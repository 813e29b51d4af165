"""The stand-in LMS's own pages: the home page's scenario list and the admin behind the workbench middleware."""

import pytest
from django.contrib.auth import get_user_model

from raqmya_xblocks.assessment.scenarios import ARABIC_TITLE, FRENCH_TITLE


@pytest.mark.django_db
def test_home_lists_programme_scenarios_only(client):
    html = client.get("/").content.decode()
    assert FRENCH_TITLE in html
    assert ARABIC_TITLE in html
    # xblock-sdk's sample blocks register scenarios of their own, such as "Hello World".
    assert "Hello World" not in html


@pytest.mark.django_db
def test_admin_changelist_keeps_query(client):
    admin = get_user_model().objects.create_superuser("devstack_admin", "admin@example.invalid", "Admin-pass-2026")
    client.force_login(admin)
    response = client.get("/admin/raqmya_reports/digcomparea/")
    assert response.status_code == 200
    assert "?e=1" not in response.get("Location", "")
    assert response.context["cl"].result_count == 5
