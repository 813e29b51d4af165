"""Demo learners taking the devstack's placement test and assessment, through the blocks' own handlers.

Each call is a POST to the block's handler on the devstack's runtime, made as the learner. The
blocks then grade, store their state, publish their grade and record their results in the reports
app, as they do for a learner in the browser. Nothing here writes to the reports app's tables.
"""

from __future__ import annotations

import json
import random

from crum import impersonate
from webob import Request
from workbench.scenarios import get_scenarios, init_scenarios

from raqmya_reports import api
from raqmya_xblocks.assessment.scenarios import ARABIC_QUESTIONS, ARABIC_TITLE, FRENCH_QUESTIONS, FRENCH_TITLE
from raqmya_xblocks.placement import scenarios as placement_scenarios

from .runtime import DevstackRuntime

# The workbench scenarios a demo learner takes, by the language of their content.
ASSESSMENTS = {"fr": FRENCH_TITLE, "ar": ARABIC_TITLE}
PLACEMENTS = {"fr": placement_scenarios.FRENCH_TITLE, "ar": placement_scenarios.ARABIC_TITLE}
QUESTIONS = {"fr": FRENCH_QUESTIONS, "ar": ARABIC_QUESTIONS}
# Items a placement run may show before the demo stops it with an error. The sample bank has five.
MAX_PLACEMENT_ITEMS = 50


class DemoAttemptError(RuntimeError):
    """An error status returned by a block handler for a demo learner's request."""


def load_scenarios() -> None:
    """Load the workbench scenarios, their blocks' definitions written to the database the demo seeds."""
    init_scenarios()


def scenario_usage(title: str) -> str:
    """Return the usage id of the workbench scenario whose description is ``title``."""
    for scenario in get_scenarios().values():
        if scenario.description == title:
            return scenario.usage_id
    raise DemoAttemptError(f"No workbench scenario named {title!r}: check that raqmya_xblocks is installed.")


def call_handler(user, usage_id: str, handler: str, payload: dict) -> dict:
    """POST ``payload`` as JSON to the block's ``handler`` as ``user``, and return the decoded response.

    Raise ``DemoAttemptError`` with the block's message when it returns an error status.
    """
    runtime = DevstackRuntime(user.username)
    block = runtime.get_block(usage_id)
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode("utf-8"),
                            content_type="application/json")
    with impersonate(user):
        response = block.runtime.handle(block, handler, request)
    body = json.loads(response.body or b"{}")
    if response.status_code >= 400:
        raise DemoAttemptError(f"Handler {handler} of {usage_id} returned {response.status_code} for user "
                               f"{user.username}: {body}")
    return body


def answer_for(question: dict, right: bool, rng: random.Random) -> str:
    """Return the id of a correct choice of the single-choice ``question`` when ``right``, else of a wrong one."""
    choices = [choice["id"] for choice in question["choices"] if choice["correct"] is right]
    return rng.choice(choices)


def take_placement(user, language: str, ability: float, rng: random.Random) -> dict:
    """Run the placement test in ``language`` as ``user``, each item right with probability ``ability``.

    Return the last response: the levels and the track found.
    """
    usage_id = scenario_usage(PLACEMENTS[language])
    questions = {question["id"]: question for question in QUESTIONS[language]}
    state = call_handler(user, usage_id, "start", {})
    for _item in range(MAX_PLACEMENT_ITEMS):
        if not state.get("item"):
            return state
        answer = answer_for(questions[state["item"]], rng.random() < ability, rng)
        state = call_handler(user, usage_id, "answer", {"item": state["item"], "answer": answer})
    raise DemoAttemptError(f"The placement test {usage_id} showed more than {MAX_PLACEMENT_ITEMS} items to "
                           f"{user.username}.")


def take_assessment(user, language: str, ability: float, rng: random.Random) -> dict:
    """Submit the assessment in ``language`` once as ``user``, each choice right with probability ``ability``.

    The questions are those of the learner's track, which the block serves. Return the block's
    response: the score and whether it passed.
    """
    track = api.get_learner_track(user.id)
    served = [question for question in QUESTIONS[language] if track in question["tracks"]]
    answers = {question["id"]: answer_for(question, rng.random() < ability, rng) for question in served}
    return call_handler(user, scenario_usage(ASSESSMENTS[language]), "submit", {"attempt": 1, "answers": answers})
