"""Benchmark 4: the ``raqmya_assessment`` block against xblock-sdk's stock ``thumbs`` block.

Both run on one xblock-sdk ``WorkbenchRuntime`` in this process: ``student_view`` renders, then
one submission each (the assessment's ``submit`` handler, which also records the result in the
reports app; the thumbs block's ``vote`` handler). The sample ``problem_demo`` block is not used:
its template is found only with the workbench's own settings, not the devstack's.
"""

from __future__ import annotations

import json

from .environment import timed_pair

STOCK_BLOCK = "<thumbs/>"
QUESTIONS = 10


def _runtime(lms_user_id: int):
    """Return a workbench runtime whose ``user`` service names ``lms_user_id`` as the LMS does."""
    from workbench.runtime import WorkbenchRuntime  # pylint: disable=import-outside-toplevel
    from xblock.reference.user_service import UserService, XBlockUser  # pylint: disable=import-outside-toplevel

    class LmsUserService(UserService):
        """The ``user`` service with the LMS user id in ``edx-platform.user_id``."""

        def get_current_user(self):
            return self._user

    class BenchmarkRuntime(WorkbenchRuntime):
        """The workbench runtime with an LMS-like user."""

        def service(self, block, service_name):
            if service_name == "user":
                user = XBlockUser(is_current_user=True)
                user.opt_attrs["edx-platform.user_id"] = lms_user_id
                return LmsUserService(user=user)
            return super().service(block, service_name)

    return BenchmarkRuntime(user_id=f"bench-{lms_user_id}")


def _assessment_xml() -> str:
    from raqmya_xblocks.assessment.scenarios import scenario_xml  # pylint: disable=import-outside-toplevel

    questions = [
        {"id": f"q{number}", "type": "single", "stem": f"<p>Question {number}</p>",
         "choices": [{"id": choice, "text": f"Choice {choice}", "correct": choice == "a"} for choice in "abc"],
         "competence": "1.1", "tracks": ["perfectionnement", "acculturation"], "points": 1}
        for number in range(1, QUESTIONS + 1)
    ]
    return scenario_xml("Benchmark assessment", "", questions, max_attempts=0)


def _post(block, handler: str, payload: object) -> int:
    from webob import Request  # pylint: disable=import-outside-toplevel

    request = Request.blank("/", method="POST", body=json.dumps(payload).encode("utf-8"))
    return block.handle(handler, request).status_code


def measure_block(lms_user_id: int, *, repeat: int = 50) -> dict:
    """Time renders and submissions of the assessment and of the stock block for one learner."""
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel
    from django.utils import translation  # pylint: disable=import-outside-toplevel

    from raqmya_reports.registry.models import AssessmentResult  # pylint: disable=import-outside-toplevel

    cache.clear()
    last_result = AssessmentResult.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    runtime = _runtime(lms_user_id)
    assessment = runtime.get_block(runtime.parse_xml_string(_assessment_xml()))
    stock = runtime.get_block(runtime.parse_xml_string(STOCK_BLOCK))
    answers = {f"q{number}": "a" for number in range(1, QUESTIONS + 1)}
    statuses = set()
    with translation.override("fr"):
        assessment_render, stock_render = timed_pair(
            lambda: assessment.render("student_view", {}), lambda: stock.render("student_view", {}), repeat=repeat)
        assessment_submit, stock_submit = timed_pair(
            lambda: statuses.add(_post(assessment, "submit", {"attempt": assessment.attempts + 1, "answers": answers})),
            lambda: statuses.add(_post(stock, "vote", {"voteType": "up"})), repeat=repeat)
    # The submissions recorded results: remove them, so the generated programme stays as it was.
    AssessmentResult.objects.filter(pk__gt=last_result).delete()
    return {
        "benchmark": "block",
        "assessment_render_seconds": assessment_render,
        "stock_render_seconds": stock_render,
        "render_ratio": assessment_render / stock_render,
        "assessment_submit_seconds": assessment_submit,
        "stock_submit_seconds": stock_submit,
        "submit_ratio": assessment_submit / stock_submit,
        "statuses": sorted(statuses),
    }
