"""The journeys of the mixed load (``python -m bench --only load``; see bench/steps/load.py).

Who comes, by weight: visitors reading the lists, details, search and the open-data API;
challengers signing in, reading a demand's full details and submitting solutions with a file;
demand owners reading and comparing their solutions; judges scoring a round as they type; host
staff on their boards. ``LOAD_MODE=idle`` sends one of each, pausing 1–2 s, for the idle
figures; ``load`` the weighted crowd.

Every request is named "<who>: <what>", so the report has one row per kind of request. A
response that is not what the person expected (a form sent back with errors, a refusal) is a
failure, whatever its status code.
"""

import itertools
import json
import os
import re
from secrets import choice, randbelow

from locust import HttpUser, between, task

from bench.journeys import solution_form

FIXTURES = json.loads(open(os.environ["LOAD_FIXTURES"], encoding="utf-8").read())
IDLE = os.environ.get("LOAD_MODE") == "idle"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERRORS = re.compile(r'class="[^"]*(?:errorlist|alert-danger)[^"]*"[^>]*>(.*?)</', re.S)


# Each demand is answered once by each challenger's organisation (the portal allows one): the
# idle run takes its demands from the end of each share, the load from the start.
ANSWERS = {person["email"]: iter(person["answer"][::-1] if IDLE else person["answer"])
           for person in FIXTURES["challengers"]}
CHALLENGERS = itertools.cycle(FIXTURES["challengers"])
JUDGES = itertools.cycle(FIXTURES["judges"] or [None])


def _token(response):
    match = TOKEN.search(response.text or "")
    return match.group(1) if match else ""


def _problem(response):
    found = ERRORS.search(response.text or "")
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip()[:200] if found else "no redirect"


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 2) if IDLE else between(0.5, 2.5)

    def get(self, path, name, **kwargs):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False,
                             **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
            return response


class Visitor(Person):
    weight = 12
    fixed_count = 1 if IDLE else 0

    @task(4)
    def list(self):
        self.get("/demands/", "visitor: list")

    @task(4)
    def detail(self):
        self.get(f"/demands/{choice(FIXTURES['demands'])}/", "visitor: detail")

    @task(2)
    def search(self):
        self.get("/demands/", "visitor: search", params={"q": choice(FIXTURES["words"])})

    @task(1)
    def home(self):
        self.get("/", "visitor: home")

    @task(2)
    def api_list(self):
        self.get("/api/v1/demands/", "visitor: api list")

    @task(1)
    def api_detail(self):
        self.get(f"/api/v1/demands/{choice(FIXTURES['demands'])}/", "visitor: api detail")


class Challenger(Person):
    weight = 4
    fixed_count = 1 if IDLE else 0

    def on_start(self):
        self.person = next(CHALLENGERS)
        form = self.get("/accounts/login/", "challenger: sign-in page")
        with self.client.post("/accounts/login/", name="challenger: sign in",
                              data={"login": self.person["email"],
                                    "password": self.person["password"],
                                    "csrfmiddlewaretoken": _token(form)},
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302 or "/accounts/login" in response.headers.get(
                    "Location", ""):
                response.failure(f"sign-in refused: {response.status_code}")

    @task(3)
    def full_details(self):
        if self.person["full"]:
            self.get(f"/demands/{choice(self.person['full'])}/full/",
                     "challenger: full details")
        else:
            self.get(f"/demands/{choice(FIXTURES['demands'])}/", "visitor: detail")

    @task(2)
    def my_solutions(self):
        self.get("/solutions/mine/", "challenger: my solutions")

    @task(1)
    def submit(self):
        demand = next(ANSWERS[self.person["email"]], None)
        if demand is None:
            return
        path = f"/solutions/answer/{demand['ref']}/"
        form = self.get(path, "challenger: solution form")
        data, attachment = solution_form(self.person, demand)
        data["csrfmiddlewaretoken"] = _token(form)
        with self.client.post(path, name="challenger: submit solution", data=data,
                              files={"attachment": attachment},
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}: {_problem(response)}")


class Owner(Person):
    weight = 2
    fixed_count = 1 if IDLE else 0

    def on_start(self):
        self.client.cookies.update(FIXTURES["owner"]["cookies"])
        self.demands = FIXTURES["owner"]["demands"]

    @task(2)
    def solutions(self):
        if self.demands:
            demand = choice(self.demands)
            self.get(f"/solutions/demand/{demand['ref']}/", "owner: solutions")

    @task(1)
    def compare(self):
        if self.demands:
            demand = choice(self.demands)
            self.get(f"/solutions/demand/{demand['ref']}/compare/", "owner: compare",
                     params=[("ids", pk) for pk in demand["ids"]])


class Judge(Person):
    weight = 3
    fixed_count = 1 if IDLE else 0

    def on_start(self):
        self.judge = next(JUDGES)
        if self.judge:
            self.client.cookies.update(self.judge["cookies"])

    @task
    def score(self):
        if not self.judge:
            return
        entry = choice(self.judge["entries"])
        path = f"/matching/rounds/{self.judge['round']}/score/{entry}/"
        page = self.get(path, "judge: score page")
        criterion = choice(self.judge["criteria"])
        low, high = int(criterion["low"]), int(criterion["high"])
        value = low + randbelow(high - low + 1)
        with self.client.post(path, name="judge: save score (as typed)",
                              data={"csrfmiddlewaretoken": _token(page),
                                    f"c{criterion['id']}": str(value)},
                              headers={"X-Requested-With": "fetch"},
                              catch_response=True) as response:
            if response.status_code != 200 or not response.json().get("saved"):
                response.failure(f"{response.status_code}: {response.text[:200]}")


class Host(Person):
    weight = 1
    fixed_count = 1 if IDLE else 0

    def on_start(self):
        self.client.cookies.update(FIXTURES["host"]["cookies"])

    @task
    def board(self):
        path = choice(FIXTURES["host"]["pages"])
        self.get(path, f"host: {path.strip('/').split('/')[0]} {path.strip('/').split('/')[-1]}")
