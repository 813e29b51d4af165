"""Pages of the stand-in LMS: home, registration, and the workbench views on the LMS-like runtime."""

import logging

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from workbench.scenarios import get_scenarios
from xblock.django.request import django_to_webob_request, webob_to_django_response
from xblock.exceptions import NoSuchUsage

from raqmya_reports import api as reports_api

from . import platform_events
from .runtime import DevstackRuntime
from .services import is_course_author

log = logging.getLogger(__name__)

# Handlers that change what a block is, which Studio serves to the course's authors only.
AUTHOR_HANDLERS = frozenset({"studio_save", "import_preview", "import_template"})

# The views the workbench page links to; xblock-sdk 0.14 (Ulmo) has no helper that lists them.
BLOCK_VIEWS = ("student_view", "author_view", "studio_view")


def home(request):
    """List the workbench scenarios and the programme pages, with a language switch."""
    # xblock-sdk's own sample blocks register scenarios too; the devstack lists the programme's.
    programme_scenarios = [item for item in get_scenarios().items() if item[0].startswith("raqmya_")]
    scenarios = sorted(programme_scenarios, key=lambda item: item[1].description)
    return render(request, "devstack/home.html", {"scenarios": scenarios})


def _extension_form_class():
    """Return the registration extension form class named by ``REGISTRATION_EXTENSION_FORM``, as the LMS does."""
    path = getattr(settings, "REGISTRATION_EXTENSION_FORM", None)
    return import_string(path) if path else None


def register(request):
    """Create an account with the LMS's registration extension, then enroll it in the devstack's course."""
    extension_class = _extension_form_class()
    account_form = UserCreationForm(request.POST or None, prefix="account")
    extension_form = extension_class(request.POST or None, prefix="profile") if extension_class else None
    if request.method == "POST" and account_form.is_valid() and (extension_form is None or extension_form.is_valid()):
        now = timezone.now()
        with transaction.atomic():
            user = account_form.save()
            if extension_form is not None:
                profile = extension_form.save(commit=False)
                profile.user = user
                profile.save()
        platform_events.send_registration(user, now)
        platform_events.send_enrollment(user, settings.RAQMYA_DEVSTACK_COURSE_KEY, now)
        log.info("Registered user %s and enrolled it in %s.", user.id, settings.RAQMYA_DEVSTACK_COURSE_KEY)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        target = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("devstack_home")
    # The registration link followed, if any: the registration receiver records its channel.
    channel_name = reports_api.join_link_channel_name(request)
    return render(request, "devstack/register.html",
                  {"account_form": account_form, "extension_form": extension_form, "channel_name": channel_name})


@ensure_csrf_cookie
def show_scenario(request, scenario_id, view_name="student_view"):
    """Render one workbench scenario on the LMS-like runtime, for the signed-in learner."""
    try:
        scenario = get_scenarios()[scenario_id]
    except KeyError as error:
        raise Http404(f"No scenario {scenario_id!r}.") from error
    student_id = request.GET.get("student", "student_1")
    runtime = DevstackRuntime(student_id)
    block = runtime.get_block(scenario.usage_id)
    fragment = block.render(view_name, {})
    return render(
        request,
        "workbench/block.html",
        {
            "scenario_id": scenario_id,
            "scenario": scenario,
            "block": block,
            "body": fragment.body_html(),
            "head_html": fragment.head_html(),
            "foot_html": fragment.foot_html(),
            "student_id": student_id,
            "view_name": view_name,
            "other_views": [name for name in BLOCK_VIEWS if name != view_name and hasattr(block, name)],
        },
    )


def handler(request, usage_id, handler_slug, suffix=""):
    """Call an XBlock handler on the LMS-like runtime; unlike the workbench's, it keeps CSRF protection.

    Author handlers are let through only for authors of the devstack's course, as Studio does.
    """
    if handler_slug in AUTHOR_HANDLERS and not is_course_author(request.user, settings.RAQMYA_DEVSTACK_COURSE_KEY):
        log.warning("Author handler %s of %s rejected for user %s.", handler_slug, usage_id, request.user.pk)
        return JsonResponse({"error": _("Only the course's authors can edit this block.")}, status=403)
    runtime = DevstackRuntime(request.GET.get("student", "student_1"))
    try:
        block = runtime.get_block(usage_id)
    except NoSuchUsage as error:
        raise Http404(f"No block {usage_id!r}.") from error
    webob_request = django_to_webob_request(request)
    webob_request.path_info_pop()
    webob_request.path_info_pop()
    return webob_to_django_response(block.runtime.handle(block, handler_slug, webob_request, suffix))
