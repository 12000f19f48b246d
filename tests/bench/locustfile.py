"""Locust users for tests/bench/load.py: each signed-in partner does the daily loop
(today, answer, the waiting poll, history); a few floor users hit the bare view on
the same server in the same run. Sessions come from the seed (ATTUNE_LOAD_SEED)."""

import itertools
import json
import os
import re

from locust import HttpUser, between, task

SEED = json.loads(open(os.environ["ATTUNE_LOAD_SEED"], encoding="utf-8").read())  # noqa: SIM115
_partners = itertools.cycle(SEED["partners"])
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Partner(HttpUser):
    weight = 10
    wait_time = between(1, 2)

    def on_start(self) -> None:
        me = next(_partners)
        self.client.cookies.set("sessionid", me["session"])
        self.day = me["day"]

    @task
    def daily_loop(self) -> None:
        page = self.client.get("/today/", name="/today/")
        token = _CSRF.search(page.text)
        if token:  # not yet revealed: answer (or change the answer)
            self.client.post(
                "/today/",
                {"csrfmiddlewaretoken": token.group(1), "text": "The walk home, and the soup after.", "day": self.day},
                headers={"Referer": self.client.base_url + "/today/"},
                name="/today/ answer",
            )
        for _ in range(3):
            self.client.get(f"/today/{self.day}/status/", headers={"HX-Request": "true"}, name="poll")
        self.client.get("/history/", name="/history/")


class Floor(HttpUser):
    weight = 1
    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", SEED["floor_session"])

    @task
    def floor(self) -> None:
        self.client.get("/bench/floor/", name="floor (bare view)")
