"""The mixed load's report (bench/steps/load.py): locust's CSV becomes one row per request kind,
each p95 against its idle p95, and an error anywhere marks the run ✗."""

from bench.report import Report
from bench.steps.load import add_rows, read_stats

HEADER = ("Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
          "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
          "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n")


def stats_file(tmp_path, name, rows):
    path = tmp_path / name
    lines = [f"GET,{kind},{count},{failures},0,0,0,0,0,{rps},0,{p50},0,0,0,0,{p95},0,{p99},0,0,0\n"
             for kind, count, failures, rps, p50, p95, p99 in rows]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return read_stats(path)


def test_each_kind_is_compared_with_its_idle_p95(tmp_path):
    idle = stats_file(tmp_path, "idle.csv", [("visitor: list", 30, 0, 1.0, 20, 40, 50),
                                             ("Aggregated", 30, 0, 1.0, 20, 40, 50)])
    loaded = stats_file(tmp_path, "load.csv", [("visitor: list", 900, 0, 30.0, 60, 120, 200),
                                               ("judge: score page", 90, 0, 3.0, 70, 90, 99),
                                               ("Aggregated", 990, 0, 33.0, 60, 120, 200)])
    report = Report(scale="full")

    add_rows(report, idle, loaded, [], users=40, duration=300)

    rows = {row.name: row for row in report.rows}
    assert rows["visitor: list"].ratio == 3.0 and rows["visitor: list"].ok is True
    assert rows["judge: score page"].ok is None          # no idle sample: no verdict
    assert rows["all journeys, 40 users, 300 s"].ok is True


def test_a_slow_kind_or_one_error_fails_the_goal(tmp_path):
    idle = stats_file(tmp_path, "idle.csv", [("visitor: list", 30, 0, 1.0, 20, 40, 50),
                                             ("owner: compare", 10, 0, 0.3, 50, 60, 70)])
    loaded = stats_file(tmp_path, "load.csv", [("visitor: list", 900, 0, 30.0, 60, 170, 200),
                                               ("owner: compare", 40, 1, 1.0, 50, 60, 70),
                                               ("Aggregated", 940, 1, 31.0, 60, 170, 200)])
    report = Report(scale="full")

    add_rows(report, idle, loaded, ["POST owner: compare: 500 ×1"], users=40, duration=300)

    rows = {row.name: row for row in report.rows}
    assert rows["visitor: list"].ok is False              # 4.25× its idle p95
    assert rows["owner: compare"].ok is False             # one error
    assert rows["all journeys, 40 users, 300 s"].ok is False
    assert "500" in rows["all journeys, 40 users, 300 s"].note
