"""The order of a run: the small scale's database (``<name>_small``) with its data, gunicorn
on it, step 1 there; the large scale's database, gunicorn on it, steps 1-3 there; then the
import and the fan-out, which bring their own data and remove it afterwards. Each database
keeps its generated demands, so the next run reuses them (``--regenerate`` starts afresh)."""

import time

from bench import data
from bench.cli import SCALES
from bench.report import OUT_DIR, Report, Row
from bench.server import Gunicorn


class Runner:
    def __init__(self, args, env, *, log):
        self.args = args
        self.env = env
        self.log = log
        self.steps = set(args.steps)
        small, large = SCALES[args.scale]
        self.small, self.large = args.small or small, args.large or large
        self.report = Report(scale=args.scale)
        self.failed = False

    def run(self):
        self.report.details["settings"] = {
            "scale": {"small": self.small, "large": self.large}, "steps": self.args.steps,
            "iterations": self.args.iterations, "page_budget_s": self.args.page_budget,
            "duration_s": self.args.duration,
            "connections": self.args.connections, "database": self.env.database_name,
            "gunicorn": "2 sync workers, DEBUG=false, Redis cache",
        }
        data.prepare_database(self.log)
        try:
            self._demand_steps()
            if "import" in self.steps:
                self._step("import", self._import)
            if "fanout" in self.steps:
                self._step("fanout", self._fanout)
            if "solutions" in self.steps:
                self._step("solutions", self._solutions)
            if "board" in self.steps:
                self._step("board", self._board)
            if "dashboard" in self.steps:
                self._step("dashboard", self._dashboard)
            if "rounds" in self.steps:
                self._step("rounds", self._rounds)
            if "matching" in self.steps:
                self._step("matching", self._matching)
            if "achievement-import" in self.steps:
                self._step("achievement-import", self._achievement_import)
            if "load" in self.steps:
                self._step("load", self._load)
        finally:
            self.report.details["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")

    def _step(self, name, function, *args):
        started = time.perf_counter()
        self.log(f"step {name}")
        try:
            function(*args)
        except Exception as error:
            self.failed = True
            self.log(f"step {name} failed: {error!r}")
            self.report.add(Row(step=name, name="(failed)", value="", reference="", ratio=None,
                                goal="", ok=False, note=f"failed: {error!r}"))
            import traceback

            traceback.print_exc()
        self.report.details.setdefault("step_seconds", {})[name] = time.perf_counter() - started

    # --- steps 1-3: the public pages over generated demands ----------------------------------
    def _demand_steps(self):
        pages = {"list", "search"} & self.steps
        needs_large = pages or {"scan", "rps"} & self.steps
        if not needs_large:
            return
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        log_path = OUT_DIR / "gunicorn.log"
        timings = {}
        if pages:
            small_url = self.env.small_database_url
            data.prepare_other_database(self.env, small_url, self.small, seed=self.args.seed,
                                        workers=self.args.workers, log=self.log,
                                        regenerate=self.args.regenerate)
            with Gunicorn(self.env, log_path=log_path, database_url=small_url) as server:
                self.log(f"gunicorn on 127.0.0.1:{server.port} ({small_url.rsplit('/', 1)[-1]})")
                self._step("pages@small", self._pages, server, timings, self.small)
        generated = data.grow_to(self.large, seed=self.args.seed, workers=self.args.workers,
                                 log=self.log, regenerate=self.args.regenerate)
        if generated is not None:
            self.report.details["generator"] = {
                "demands": generated.demands, "seconds": generated.seconds,
                "per_second": generated.rate, "phases": generated.phases,
            }
        with Gunicorn(self.env, log_path=log_path) as server:
            self.log(f"gunicorn on 127.0.0.1:{server.port}")
            if pages:
                self._step("pages@large", self._pages, server, timings, self.large)
                if self.small in timings and self.large in timings:
                    from bench.steps import pages as step

                    step.add_rows(self.report, timings[self.small], timings[self.large],
                                  small_n=self.small, large_n=self.large)
            if "scan" in self.steps:
                from bench.steps import scan

                self._step("scan", scan.run, self.report)
            if "rps" in self.steps:
                self._step("rps", self._throughput, server)

    def _pages(self, server, timings, scale):
        from bench.steps import pages

        timings[scale] = pages.measure(server.port, iterations=self.args.iterations,
                                       budget=self.args.page_budget)
        summary = ", ".join(f"{kind} p50 {t.p50 * 1000:.1f} ms p95 {t.p95 * 1000:.1f} ms"
                            for kind, t in timings[scale].items())
        self.log(f"  at {scale:,}: {summary}")

    def _throughput(self, server):
        from bench.steps import throughput

        throughput.run(self.report, server.port, cookie=data.reader_cookie(),
                       duration=self.args.duration, connections=self.args.connections,
                       log=self.log)

    # --- steps 4 and 5 ------------------------------------------------------------------------
    def _import(self):
        from bench.steps import importing

        rows = self.args.import_rows or (10_000 if self.args.scale == "full" else 2_000)
        importing.run(self.report, rows=rows, seed=self.args.seed, log=self.log)

    def _solutions(self):
        from bench.steps import solutions

        large = self.args.solutions_large or (1_000_000 if self.args.scale == "full"
                                              else 100_000)
        solutions.run_solutions(self.report, small=self.args.solutions_small, large=large,
                                iterations=min(self.args.iterations, 100), log=self.log)

    def _board(self):
        from bench.steps import solutions

        demands = self.args.board_demands or (100_000 if self.args.scale == "full" else 20_000)
        solutions.run_board(self.report, demands=demands,
                            iterations=min(self.args.iterations, 100), log=self.log)

    def _dashboard(self):
        from bench.steps import dashboard

        full = self.args.scale == "full"
        dashboard.run(
            self.report,
            demands=self.args.dashboard_demands or (100_000 if full else 10_000),
            solutions=self.args.dashboard_solutions or (1_000_000 if full else 100_000),
            activity=self.args.dashboard_activity or (1_000_000 if full else 100_000),
            iterations=min(self.args.iterations, 30), log=self.log,
            regenerate=self.args.regenerate,
            dimensions=[d.strip() for d in self.args.dashboard_breakdowns.split(",")
                        if d.strip()])

    def _rounds(self):
        from bench.steps import rounds

        large = self.args.scores_large or (1_000_000 if self.args.scale == "full" else 100_000)
        rounds.run(self.report, small=self.args.scores_small, large=large,
                   iterations=min(self.args.iterations, 100), log=self.log)

    # --- steps 11 and 12: the achievement library ---------------------------------------------
    def _matching(self):
        from bench.steps import achievements

        full = self.args.scale == "full"
        achievements.run_recommendations(
            self.report, achievements=self.args.achievements or (100_000 if full else 10_000),
            demands=self.args.match_demands, seed=self.args.seed, log=self.log)

    def _achievement_import(self):
        from bench.steps import achievements

        rows = self.args.achievement_rows or (10_000 if self.args.scale == "full" else 2_000)
        achievements.run_import(self.report, rows=rows, seed=self.args.seed, log=self.log)

    # --- step 10: the mixed load ----------------------------------------------------------------
    def _load(self):
        from bench.steps import load

        data.grow_to(self.large, seed=self.args.seed, workers=self.args.workers, log=self.log,
                     regenerate=False)
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        with Gunicorn(self.env, workers=self.args.load_workers,
                      log_path=OUT_DIR / "gunicorn-load.log") as server:
            self.log(f"gunicorn ({self.args.load_workers} workers) on 127.0.0.1:{server.port}")
            load.run(self.report, server.port, users=self.args.load_users,
                     duration=self.args.load_duration, idle_duration=self.args.load_idle,
                     log=self.log)

    def _fanout(self):
        from bench.steps import fanout

        subscribers = self.args.subscribers or (100_000 if self.args.scale == "full"
                                                else 10_000)
        fanout.run(self.report, subscribers=subscribers, log=self.log)
