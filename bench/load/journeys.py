"""The HTTP steps of the journeys, as a browser makes them; the Locust users only order them.

Every request is its own entry in Locust's statistics (redirects are followed by hand, as the
browser makes a second request), named by its URL pattern. The client stands for a browser
behind the production proxy: it sends `X-Forwarded-Proto: https` (the proxy terminates TLS, so
Django sees a secure request and keeps its Secure cookies and HTTPS CSRF checks on), and the
`Origin` a browser sends with a POST.

The diagnosis is taken through a *taking protocol* object (see `TAKING_PROTOCOLS`):
`OneFormTaking` is what a browser that runs scripts does (every page's script sets the
`ustaz_scripts` cookie, so "Start" opens one form of every question whose areas are steps the
script shows: one GET, autosave of the changed answers 800 ms after the last change, one submit);
`PagedTaking` is the flow without scripts (pages of one area each, the same autosave, the page's
button, the review page, the submit).
"""

import random
import re
import time
from dataclasses import dataclass, field
from http.cookiejar import Cookie
from urllib.parse import quote, urlencode, urlsplit

import gevent

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RADIO = re.compile(r'type="radio" name="q(\d+)" id="c\d+" value="(\d+)"')
FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)" id="take-form"')
AUTOSAVE_DELAY = 0.8  # diagnostics/static/diagnostics/autosave.js: DELAY
POLL_FIRST, POLL_EVERY = 0.7, 1.0  # result_scoring.html: hx-trigger "load delay:700ms, every 1s"
# Seconds a teacher spends on their result (levels by area, the chart, what to study next)
# before opening the library.
RESULT_READING = (10, 30)
SCORING_DEADLINE = 180.0  # the stated worst case after a broker loss is 3 minutes

NAME_PATTERNS = [(re.compile(r"/\d+(?=/|$)"), "/[id]"), (re.compile(r"\?.*$"), "?…")]


def request_name(path: str) -> str:
    name = path
    for pattern, replacement in NAME_PATTERNS:
        name = pattern.sub(replacement, name)
    return name


class JourneyError(Exception):
    """A step did not answer as a browser expects: already recorded as a Locust failure."""


@dataclass
class Browser:
    """One person's browser: the Locust client with their cookies, and their think time."""

    client: object  # locust FastHttpSession
    host: str  # "127.0.0.1:8000", for Origin
    think_scale: float = 1.0
    rng: random.Random = field(default_factory=random.Random)
    pace: object = None  # a callable run before every request (the sustained run's pacer)

    def pause(self, low: float, high: float) -> float:
        """A think time in seconds: uniform between low and high, scaled."""
        return self.rng.uniform(low, high) * self.think_scale

    def think(self, low: float, high: float) -> None:
        if self.think_scale > 0:
            gevent.sleep(self.pause(low, high))

    def request(self, method, path, *, expect=(200,), data=None, headers=None, name=None):
        if self.pace is not None:
            self.pace()
        sent = {"X-Forwarded-Proto": "https"}
        if method == "POST":
            sent["Origin"] = f"https://{self.host}"
            sent["Referer"] = f"https://{self.host}{path}"
            # A form's body, repeated names (`sent`) included.
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            data = urlencode(data, doseq=True)
        sent.update(headers or {})
        with self.client.request(
            method,
            path,
            data=data,
            headers=sent,
            name=name or request_name(path),
            allow_redirects=False,
            catch_response=True,
        ) as reply:
            if reply.status_code not in expect:
                error = getattr(reply, "error", None) or ""
                reply.failure(f"{method} {path}: {reply.status_code}, expected {expect} {error}")
                raise JourneyError(path)
            reply.success()
            return reply

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        return self.request("POST", path, data=data, **kwargs)

    def follow(self, reply, **kwargs):
        """GET where a 302 points (a browser's second request)."""
        location = reply.headers.get("location") or reply.headers.get("Location")
        return self.get(urlsplit(location).path + _query(location), **kwargs)


def cookie(name: str, value: str) -> Cookie:
    """A cookie for 127.0.0.1, as the server set it (the session) or a script did."""
    return Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True,
        True, None, False, None, None, {"HttpOnly": None},
    )  # fmt: skip


def _query(url: str) -> str:
    query = urlsplit(url).query
    return f"?{query}" if query else ""


def csrf_of(html: str) -> str:
    match = CSRF_FIELD.search(html)
    if not match:
        raise JourneyError("no CSRF token on the page")
    return match.group(1)


def questions_of(html: str) -> list[tuple[str, list[str]]]:
    """[(question id, [choice ids])] of the radio questions on the page, in page order."""
    questions: dict[str, list[str]] = {}
    for question, choice in RADIO.findall(html):
        questions.setdefault(question, []).append(choice)
    return list(questions.items())


# --- the diagnosis ------------------------------------------------------------------------------


class PagedTaking:
    """Today's flow: a page per area, autosave as autosave.js does it, the page's button, review,
    submit, then the result page polling the status until the response is scored."""

    name = "paged"
    autosave_name = "/diagnostics/responses/[id]/page/[id]/"

    def __init__(self, browser: Browser, *, question_think=(1.0, 3.0)):
        self.browser = browser
        self.question_think = question_think
        self.autosaves = 0

    def take(self, round_id: int) -> str:
        """Open the round, answer, submit; returns the result path once it reads scored."""
        b = self.browser
        started = b.get(f"/diagnostics/rounds/{round_id}/take/", expect=(302,))
        page = b.follow(started)
        review = self.answer_all(page)
        b.think(2, 5)  # reads the review page
        submitted = b.post(
            review.url_path, {"csrfmiddlewaretoken": csrf_of(review.text)}, expect=(302,)
        )
        result_path = urlsplit(submitted.headers["location"]).path
        return self.wait_for_result(result_path)

    def answer_all(self, page):
        """Answer every page; returns the review page's reply."""
        b = self.browser
        while True:
            html = page.text
            action = FORM_ACTION.search(html)
            if not action:
                raise JourneyError("no taking form on the page")
            action = action.group(1)
            token = csrf_of(html)
            chosen = self.answer_page(action, token, questions_of(html))
            fields = {"csrfmiddlewaretoken": token, "go": "next"}
            fields.update({f"q{q}": c for q, c in chosen.items()})
            saved = b.post(action, fields, expect=(302,))
            page = b.follow(saved)
            page.url_path = urlsplit(saved.headers["location"]).path
            if page.url_path.endswith("/submit/"):
                return page

    def answer_page(self, action: str, token: str, questions) -> dict:
        """Click an option of each question after its think time; autosave posts the changed
        questions once no change came for 800 ms (so, with think times above that, one question
        per request), and the page's button, pressed after one more think time, cancels a
        pending autosave (the button posts the whole page)."""
        b = self.browser
        chosen, dirty = {}, []
        # gaps[0] comes before the first click, gaps[n + 1] after click n (the last: the button).
        gaps = [b.pause(*self.question_think) for _ in range(len(questions) + 1)]
        gevent.sleep(gaps[0])
        for n, (question, choices) in enumerate(questions):
            chosen[question] = b.rng.choice(choices)
            dirty.append(question)
            gap = gaps[n + 1]
            if gap > AUTOSAVE_DELAY:
                gevent.sleep(AUTOSAVE_DELAY)
                sent = time.monotonic()
                self.autosave(action, token, {q: chosen[q] for q in dirty})
                dirty = []
                gap -= AUTOSAVE_DELAY + (time.monotonic() - sent)
            gevent.sleep(max(0.0, gap))
        return chosen

    def autosave(self, action: str, token: str, changed: dict) -> None:
        fields = [("csrfmiddlewaretoken", token)]
        fields += [(f"q{q}", c) for q, c in changed.items()]
        fields += [("sent", q) for q in changed]
        self.browser.post(
            action, fields, expect=(204,), headers={"HX-Request": "true"},
            name=f"{self.autosave_name} (autosave)",
        )  # fmt: skip
        self.autosaves += 1

    def wait_for_result(self, result_path: str) -> str:
        b = self.browser
        page = b.get(result_path)
        if "hx-get" not in page.text:
            return result_path  # already scored
        status_path = result_path + "status/"
        gevent.sleep(POLL_FIRST)
        deadline = time.monotonic() + SCORING_DEADLINE
        while True:
            status = b.get(status_path, headers={"HX-Request": "true"})
            if status.headers.get("HX-Refresh") or status.headers.get("hx-refresh"):
                b.get(result_path, name="/diagnostics/responses/[id]/ (scored)")
                return result_path
            if time.monotonic() > deadline:
                raise JourneyError(f"{result_path} not scored within {SCORING_DEADLINE:.0f} s")
            gevent.sleep(POLL_EVERY)


class OneFormTaking(PagedTaking):
    """A browser that runs scripts: the whole instrument in one form, its areas steps the script
    shows without a request, autosave of the changed answers as on a page, one submit (the
    protocol is written out in docs/benchmarks.md, "One Ustaz diagnosis in the one-form flow")."""

    name = "one_form"
    autosave_name = "/diagnostics/responses/[id]/form/"

    def take(self, round_id: int) -> str:
        b = self.browser
        b.client.cookiejar.set_cookie(cookie("ustaz_scripts", "1"))  # static/js/page-actions.js
        started = b.get(f"/diagnostics/rounds/{round_id}/take/", expect=(302,))
        if not started.headers["location"].rstrip("/").endswith("/form"):
            raise JourneyError("start did not open the one form")
        form = b.follow(started)
        html = form.text
        action = FORM_ACTION.search(html)
        if not action:
            raise JourneyError("no taking form on the page")
        action, token = action.group(1), csrf_of(html)
        questions = questions_of(html)
        # Step by step: Previous/Next make no request, so the areas' questions come one after
        # another with their think times and autosaves, then one more think time before submit.
        chosen = self.answer_page(action, token, questions)
        fields = {"csrfmiddlewaretoken": token, "go": "submit"}
        fields.update({f"q{q}": c for q, c in chosen.items()})
        submitted = b.post(action, fields, expect=(302,))
        result_path = urlsplit(submitted.headers["location"]).path
        return self.wait_for_result(result_path)


TAKING_PROTOCOLS = {OneFormTaking.name: OneFormTaking, PagedTaking.name: PagedTaking}


# --- the other pages -----------------------------------------------------------------------------


def dashboard(b: Browser) -> None:
    b.get("/")


def library_search(b: Browser, words: list[str]) -> None:
    b.get("/library/")
    b.think(1, 3)
    b.get(f"/library/search/?q={quote(b.rng.choice(words))}")


def course_and_lesson(b: Browser, plan: dict) -> None:
    b.get("/courses/")
    b.think(1, 3)
    index = b.rng.randrange(len(plan["courses"]))
    b.get(f"/courses/{plan['courses'][index]}/", name="/courses/[slug]/")
    b.think(1, 3)
    if index < len(plan["lessons"]):
        b.get(f"/courses/lessons/{plan['lessons'][index]}/")


def forum_and_topic(b: Browser, plan: dict) -> None:
    b.get("/forums/")
    b.think(1, 3)
    b.get(f"/forums/{b.rng.choice(plan['forums'])}/")
    b.think(1, 3)
    b.get(f"/forums/topics/{b.rng.choice(plan['topics'])}/")


def school_report(b: Browser, school_id: int) -> None:
    b.get(f"/diagnostics/reports/schools/{school_id}/")


def item_statistics(b: Browser, round_id: int) -> None:
    b.get(f"/diagnostics/rounds/{round_id}/statistics/")


def sign_in(b: Browser, email: str, password: str) -> None:
    """The sign-in form as a person fills it: GET (CSRF cookie and token), POST, the dashboard."""
    form = b.get("/accounts/login/")
    signed = b.post(
        "/accounts/login/",
        {"csrfmiddlewaretoken": csrf_of(form.text), "username": email, "password": password},
        expect=(302,),
    )
    b.follow(signed)
