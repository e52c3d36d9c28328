"""The load test's mix (`make loadtest`): visitors reading the prison guide and searching the
directory, signed-in families reading and writing in the community, and staff on their pages.
Weights follow what families do most: read, search, now and then write.

Run by scripts/loadtest, which starts gunicorn on 127.0.0.1 with a seeded database and passes
the minted sessions in LOADTEST_SESSIONS."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from typing import Any

from locust import HttpUser, between, events, task

SEED = 20261123
rng = random.Random(SEED)
with open(os.environ["LOADTEST_SESSIONS"]) as _file:
    _minted = json.load(_file)
COOKIE: str = _minted["cookie"]
_pools = {role: itertools.cycle(keys) for role, keys in _minted["sessions"].items()}

PRISONS = ["LWI", "FDI", "BAI", "WNI", "BMI", "PVI"]
SEARCHES = ["", "debt", "housing", "children", "visits", "mental health", "benefits", "BN7 2LA",
            "counselling", "transport"]  # fmt: skip
TOPIC = re.compile(r'href="(/community/t/\d+/)"')
SERVICE = re.compile(r'href="(/directory/services/[0-9a-f-]{36}/)"')
REFUSED: dict[str, int] = {"replies refused by posting limits": 0}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Site(HttpUser):
    abstract = True
    wait_time = between(1, 4)  # a person reads before clicking on

    def page(self, path: str, name: str | None = None) -> str:
        with self.client.get(path, name=name or path, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return ""
            return str(response.text)


class Visitor(Site):
    """Someone not signed in: the visiting guide and the directory."""

    weight = 4

    @task(3)
    def prison_guide(self) -> None:
        self.page("/prisons/")
        self.page(f"/prisons/{rng.choice(PRISONS)}/", name="/prisons/[code]/")

    @task(3)
    def directory_search(self) -> None:
        html = self.page(f"/directory/?q={rng.choice(SEARCHES)}", name="/directory/?q=[words]")
        services = SERVICE.findall(html)
        if services:
            self.page(rng.choice(services), name="/directory/services/[id]/")

    @task(1)
    def home(self) -> None:
        self.page("/")


class Family(Site):
    """A signed-in family member: the community most, the guide, notifications; sometimes posts."""

    weight = 5

    def on_start(self) -> None:
        self.client.cookies.set(COOKIE, next(_pools["family"]))
        self.topics: list[str] = []

    @task(4)
    def read_topics(self) -> None:
        html = self.page("/community/")
        self.topics = TOPIC.findall(html) or self.topics
        if self.topics:
            self.page(rng.choice(self.topics), name="/community/t/[id]/")

    @task(2)
    def my_prison(self) -> None:
        self.page(f"/prisons/{rng.choice(PRISONS)}/", name="/prisons/[code]/")

    @task(1)
    def notifications(self) -> None:
        self.page("/notifications/")

    @task(1)
    def directory_search(self) -> None:
        self.page(f"/directory/?q={rng.choice(SEARCHES)}", name="/directory/?q=[words]")

    @task(1)
    def reply(self) -> None:
        if not self.topics:
            return
        topic = rng.choice(self.topics)
        html = self.page(topic, name="/community/t/[id]/")
        token = CSRF.search(html)
        if not token:
            return
        body = f"Thinking of you all. Load test note {rng.getrandbits(48):x}."
        with self.client.post(
            f"{topic}reply/",
            {"csrfmiddlewaretoken": token.group(1), "body": body},
            headers={"Referer": self.host + topic},
            name="POST /community/t/[id]/reply/",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 302:
                return
            if response.status_code == 400 and "Your reply" in response.text:
                # The form came back with a message: the per-person posting limits (slow mode,
                # a new member's first day) said "wait". The right answer, counted apart.
                REFUSED["replies refused by posting limits"] += 1
                response.success()
                return
            response.failure(f"{response.status_code}")


class Staff(Site):
    """A member of staff (second factor done): their home page, caseload and queues."""

    weight = 1
    PAGES = ["/staff/", "/casework/", "/casework/cases/", "/casework/referrals/",
             "/prisons/tips/review/", "/directory/staff/"]  # fmt: skip

    def on_start(self) -> None:
        self.client.cookies.set(COOKIE, next(_pools["staff"]))

    @task
    def staff_pages(self) -> None:
        path = rng.choice(self.PAGES)
        self.page(path)


@events.quitting.add_listener
def _(environment: Any, **kwargs: Any) -> None:
    stats = environment.stats.total
    print(f"requests={stats.num_requests} failures={stats.num_failures} "
          f"p50={stats.get_response_time_percentile(0.5):.0f}ms "
          f"p95={stats.get_response_time_percentile(0.95):.0f}ms "
          f"p99={stats.get_response_time_percentile(0.99):.0f}ms rps={stats.total_rps:.1f} "
          f"refused={REFUSED['replies refused by posting limits']}", flush=True)  # fmt: skip
