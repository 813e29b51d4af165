"""Simulated learners: stdlib threads, one HTTP connection each, every request timed and kept.

A learner works through its accounts one after the other until the time is up. With each
account it opens the assessment page, answers the questions served there and submits. Then it
does the same for the next attempt. Finally it submits once more past the limit, which must be
refused. Some accounts send their first attempt twice at the same moment, as a double click on a
slow connection does. Exactly one of the two may be graded.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlsplit

FIELDSET = re.compile(r'<fieldset[^>]*data-question-id="([^"]*)"[^>]*data-kind="([^"]*)"(.*?)</fieldset>', re.S)
CHOICE_VALUE = re.compile(r'<input[^>]*value="([^"]*)"')
FORM_ATTEMPT = re.compile(r'data-attempt="(\d+)"')


@dataclass
class Sample:
    """One request: what it was, its HTTP status (0 when the connection failed) and its latency in seconds."""

    kind: str
    status: int
    seconds: float


@dataclass
class Account:
    """A learner account with its session cookie, and the attempts the server reported as stored."""

    user_id: int
    username: str
    session_cookie: str
    duplicate_first_attempt: bool = False
    stored_attempts: list = field(default_factory=list)
    duplicate_statuses: list = field(default_factory=list)


class Browser:
    """One learner's connection to the server, with its cookies; requests are timed into ``samples``."""

    def __init__(self, base_url: str, cookies: dict, samples: list):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = dict(cookies)
        self.samples = samples
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, kind: str, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        """Send one request and return its status and body; a failed connection is status 0."""
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        if body is not None:
            headers.update({"Content-Type": "application/json", "X-CSRFToken": self.cookies.get("csrftoken", "")})
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
            status = response.status
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        except (OSError, http.client.HTTPException):
            self.connection.close()
            status, content = 0, b""
        self.samples.append(Sample(kind, status, time.perf_counter() - start))
        return status, content

    def _keep_cookies(self, headers: list) -> None:
        for header in headers:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def answers_on_page(page: str, chooser: random.Random) -> tuple[int | None, dict]:
    """Return the attempt number of the page's form and an answer to each question it shows."""
    attempt = FORM_ATTEMPT.search(page)
    answers = {}
    for question_id, kind, inner in FIELDSET.findall(page):
        values = [unescape(value) for value in CHOICE_VALUE.findall(inner)]
        if not values:
            continue
        if kind == "checkbox":
            answers[unescape(question_id)] = chooser.sample(values, chooser.randint(1, len(values)))
        else:
            answers[unescape(question_id)] = chooser.choice(values)
    return (int(attempt.group(1)) if attempt else None), answers


@dataclass
class Target:
    """The pages and handlers a learner calls: one scenario page and the handler URLs on it."""

    page_path: str
    submit_path: str
    max_attempts: int


def take_assessment(base_url: str, account: Account, target: Target, samples: list, chooser: random.Random) -> None:
    """Play one account through the assessment: each attempt from a freshly opened page, then one too many."""
    browser = Browser(base_url, {"sessionid": account.session_cookie}, samples)
    try:
        for number in range(1, target.max_attempts + 2):
            status, content = browser.request("assessment page", "GET", target.page_path)
            if status != 200:
                return
            shown, answers = answers_on_page(content.decode("utf-8"), chooser)
            attempt = number if number <= target.max_attempts else (shown or number)
            body = json.dumps({"attempt": attempt, "answers": answers}).encode("utf-8")
            if number == 1 and account.duplicate_first_attempt:
                statuses = _submit_twice_at_once(base_url, browser.cookies, target.submit_path, body, samples)
                account.duplicate_statuses.append(statuses)
                if 200 in statuses:
                    account.stored_attempts.append(attempt)
                continue
            status, content = browser.request("assessment submit", "POST", target.submit_path, body)
            if status == 200 and json.loads(content).get("stored"):
                account.stored_attempts.append(attempt)
    finally:
        browser.close()


def _submit_twice_at_once(base_url: str, cookies: dict, path: str, body: bytes, samples: list) -> list[int]:
    """Send the same submission on two connections released by one barrier; return both statuses."""
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def post():
        browser = Browser(base_url, cookies, samples)
        try:
            barrier.wait(timeout=60)
            statuses.append(browser.request("assessment submit (duplicate pair)", "POST", path, body)[0])
        finally:
            browser.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def vote_thumbs(base_url: str, account: Account, samples: list, chooser: random.Random, *,
                page_path: str, vote_paths: list) -> None:
    """Open the thumbs scenario page and vote on its blocks, as many posts as an assessment learner sends."""
    browser = Browser(base_url, {"sessionid": account.session_cookie}, samples)
    try:
        for _ in range(3):
            if browser.request("thumbs page", "GET", page_path)[0] != 200:
                return
            body = json.dumps({"voteType": chooser.choice(["up", "down"])}).encode("utf-8")
            browser.request("thumbs vote", "POST", chooser.choice(vote_paths), body)
    finally:
        browser.close()


def run_learners(learners: int, seconds: float, accounts: list, play) -> tuple[list, float, int]:
    """Run ``learners`` threads for ``seconds``; each plays ``play(account, samples, chooser)`` per account.

    Accounts are dealt out in turn. A learner starts no new account once the time is up, and the run
    ends when every learner has finished its current one. Return the samples, the wall time and the
    number of accounts used.
    """
    samples: list[Sample] = []
    queue = list(reversed(accounts))
    lock = threading.Lock()
    used = [0]
    deadline = time.monotonic() + seconds

    def learner(index: int):
        chooser = random.Random(index)
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    return
                account = queue.pop()
                used[0] += 1
            play(account, samples, chooser)

    threads = [threading.Thread(target=learner, args=(index,), name=f"learner-{index}") for index in range(learners)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - start, used[0]
