"""Locust users of the load benchmark. Run by bench/load/run.py, which seeds the plan, starts the
stack and passes the scenario through the environment:

    LOAD_PLAN      the JSON plan bench/load/seed.py wrote (sessions, ids)
    LOAD_SCENARIO  spike | sustained | signin
    LOAD_USERS     how many users Locust starts (the spike quits once they have all finished)
    LOAD_RATE      requests per second for every user together (sustained; 0: unpaced)
    LOAD_THINK     think-time scale (1: a teacher's 1–3 s a question)
    LOAD_TAKING    the taking protocol (journeys.TAKING_PROTOCOLS)
    LOAD_READ_RESULT  1: the spike's teacher reads their result before the library (default);
                   0: goes on at once, as the runs before 2026-12-05 15:00 did
    LOAD_OUT       where to write the journeys' own counts (diagnoses done, failed, autosaves)
"""

import itertools
import json
import os
import random
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import gevent
from locust import FastHttpUser, events, task
from locust.exception import StopUser

from bench.load import journeys
from bench.load.journeys import Browser, JourneyError

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
SCENARIO = os.environ.get("LOAD_SCENARIO", "spike")
USERS = int(os.environ.get("LOAD_USERS", "300"))
RATE = float(os.environ.get("LOAD_RATE", "0"))
THINK = float(os.environ.get("LOAD_THINK", "1"))
TAKING = journeys.TAKING_PROTOCOLS[os.environ.get("LOAD_TAKING", "one_form")]
READ_RESULT = os.environ.get("LOAD_READ_RESULT", "1") == "1"

COUNTS = {"diagnoses": 0, "failed_journeys": 0, "autosaves": 0, "sign_ins": 0, "finished": 0}
# Each teacher takes the round once: a diagnosis takes the next fresh teacher.
FRESH_TEACHERS = iter(PLAN["teachers"])
ANY_TEACHER = itertools.cycle(PLAN["teachers"])
HEADS = itertools.cycle(PLAN["heads"])
METHODISTS = itertools.cycle(PLAN["methodists"])


class Pacer:
    """Every user's requests together at `rate` a second: each request takes the next slot."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate
        self.next = time.monotonic()

    def __call__(self) -> None:
        now = time.monotonic()
        slot = max(self.next, now)
        self.next = slot + self.interval
        if slot > now:
            gevent.sleep(slot - now)


PACER = Pacer(RATE) if RATE > 0 else None


session_cookie = journeys.cookie


class BehindTLS(DefaultCookiePolicy):
    """The browser reaches Ustaz over HTTPS through the proxy, so it sends the Secure cookies
    (session, CSRF) that Django sets; the client itself speaks plain HTTP to 127.0.0.1."""

    def return_ok_secure(self, cookie, request):
        return True


class Person(FastHttpUser):
    abstract = True
    # Think time lives in the journeys (between a person's clicks), not between tasks.
    wait_time = staticmethod(lambda: 0)

    def on_start(self):
        host = self.host.split("://", 1)[-1].rstrip("/")
        self.client.cookiejar.set_policy(BehindTLS())
        self.browser = Browser(
            self.client, host, think_scale=THINK, rng=random.Random(), pace=PACER
        )

    def sign_in_as(self, session: str) -> None:
        self.client.cookiejar.clear()
        self.client.cookiejar.set_cookie(session_cookie(PLAN["session_cookie"], session))

    def run_journey(self, journey, *args) -> bool:
        try:
            journey(*args)
        except JourneyError:
            COUNTS["failed_journeys"] += 1
            return False
        return True

    def take_diagnosis(self) -> bool:
        teacher = next(FRESH_TEACHERS, None)
        if teacher is None:
            return False
        self.sign_in_as(teacher["session"])
        taking = TAKING(self.browser)
        ok = self.run_journey(taking.take, PLAN["round"])
        COUNTS["autosaves"] += taking.autosaves
        if ok:
            COUNTS["diagnoses"] += 1
        return ok


class SpikeTeacher(Person):
    """The diagnosis morning: a signed-in teacher opens the dashboard, takes the diagnosis,
    waits for the result, then looks in the library; once."""

    @task
    def morning(self):
        b = self.browser
        teacher = next(FRESH_TEACHERS, None)
        if teacher is not None:
            self.sign_in_as(teacher["session"])
            taking = TAKING(b)
            if self.run_journey(journeys.dashboard, b) and self.run_journey(
                taking.take, PLAN["round"]
            ):
                COUNTS["diagnoses"] += 1
                if READ_RESULT:
                    b.think(*journeys.RESULT_READING)
                self.run_journey(journeys.library_search, b, PLAN["library_words"])
            COUNTS["autosaves"] += taking.autosaves
        COUNTS["finished"] += 1
        if COUNTS["finished"] >= USERS:
            gevent.spawn_later(1, self.environment.runner.quit)
        raise StopUser


class Teacher(Person):
    """Sustained traffic: diagnoses (each by a fresh teacher), library, courses, forums."""

    weight = 28

    def on_start(self):
        super().on_start()
        self.own_session = next(ANY_TEACHER)["session"]
        self.sign_in_as(self.own_session)

    @task(3)
    def diagnosis(self):
        if not self.take_diagnosis():
            self.browse_library()
        self.sign_in_as(self.own_session)

    @task(2)
    def browse_library(self):
        self.run_journey(journeys.dashboard, self.browser)
        self.run_journey(journeys.library_search, self.browser, PLAN["library_words"])

    @task(2)
    def course(self):
        self.run_journey(journeys.course_and_lesson, self.browser, PLAN)

    @task(1)
    def forum(self):
        self.run_journey(journeys.forum_and_topic, self.browser, PLAN)


class Head(Person):
    weight = 1

    def on_start(self):
        super().on_start()
        head = next(HEADS)
        self.school = head["school"]
        self.sign_in_as(head["session"])

    @task
    def report(self):
        self.run_journey(journeys.dashboard, self.browser)
        self.browser.think(2, 6)
        self.run_journey(journeys.school_report, self.browser, self.school)
        self.browser.think(5, 15)


class Methodist(Person):
    weight = 1

    def on_start(self):
        super().on_start()
        self.sign_in_as(next(METHODISTS)["session"])

    @task
    def statistics(self):
        self.run_journey(journeys.dashboard, self.browser)
        self.browser.think(2, 6)
        self.run_journey(journeys.item_statistics, self.browser, PLAN["statistics_round"])
        self.browser.think(5, 15)


class SignIn(Person):
    """Sign-in capacity: sign in as the next teacher, over and over, with no think time."""

    @task
    def sign_in(self):
        self.client.cookiejar.clear()
        teacher = next(ANY_TEACHER)
        if self.run_journey(journeys.sign_in, self.browser, teacher["email"], PLAN["password"]):
            COUNTS["sign_ins"] += 1


# Response times by 10-second window of the run, so the summary can say when the tail happened
# (Locust's own history keeps running totals, which hide a burst behind what came before).
WINDOW_SECONDS = 10
TIMELINE: dict[int, list[float]] = {}
SPAWNED = {}  # when every user had started (the sustained run measures from then)


@events.spawning_complete.add_listener
def note_spawned(user_count, **kwargs):
    SPAWNED.setdefault("at", time.time())


@events.request.add_listener
def note_in_window(response_time, **kwargs):
    TIMELINE.setdefault(int(time.time() // WINDOW_SECONDS) * WINDOW_SECONDS, []).append(
        response_time
    )


@events.quitting.add_listener
def write_counts(environment, **kwargs):
    out = os.environ.get("LOAD_OUT")
    if out:
        Path(out).write_text(json.dumps(COUNTS))
        timeline = {
            "spawned_at": SPAWNED.get("at"), "window_seconds": WINDOW_SECONDS, "windows": TIMELINE,
        }  # fmt: skip
        Path(out).with_name("timeline.json").write_text(json.dumps(timeline))
