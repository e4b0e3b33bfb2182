"""Security scans run with the suite: bandit over every package of the project against a
reviewed baseline (``bandit_baseline.txt``: each accepted finding explained in one line).
``check --deploy --fail-level WARNING`` under production settings is
``tests/common/test_csp.py::test_check_deploy_is_clean_in_production``. A dependency audit
needs a vulnerability database that neither this machine nor CI can reach (see the README)."""

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASELINE = Path(__file__).with_name("bandit_baseline.txt")


def project_packages():
    """Every top-level package of the project but the tests: a new app is scanned as soon as
    it exists."""
    root = Path(settings.BASE_DIR)
    return sorted(
        path.name
        for path in root.iterdir()
        if path.is_dir()
        and (path / "__init__.py").exists()
        and path.name not in {"tests"}
        and not path.name.startswith(".")
    )


def baseline():
    accepted = {}
    for line in BASELINE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        test_id, code, reason = (part.strip() for part in line.split(" | ", 2))
        assert reason, f"baseline entry without a reason: {line}"
        accepted[(test_id, code)] = reason
    return accepted


def bandit_findings():
    root = Path(settings.BASE_DIR)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "-q",
            "-r",
            *project_packages(),
            "-x",
            "*/migrations/*",
            "-f",
            "json",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.stdout, f"bandit printed nothing: {result.stderr[-2000:]}"
    report = json.loads(result.stdout)
    assert not report["errors"], report["errors"]
    findings = []
    for issue in report["results"]:
        lines = (root / issue["filename"]).read_text(encoding="utf-8").splitlines()
        code = lines[issue["line_number"] - 1].strip()
        findings.append(
            (
                issue["test_id"],
                code,
                f"{issue['filename']}:{issue['line_number']}",
                issue["issue_text"],
            )
        )
    return findings


def test_bandit_finds_nothing_beyond_the_reviewed_baseline():
    accepted = baseline()
    findings = bandit_findings()
    new = [
        f"{where} {test_id} {text}\n      {code}"
        for test_id, code, where, text in findings
        if (test_id, code) not in accepted
    ]
    assert not new, (
        "bandit findings not in tests/harness/bandit_baseline.txt (fix them, or review and add "
        "'<test id> | <line> | <why it is safe>'):\n  " + "\n  ".join(new)
    )
    seen = {(test_id, code) for test_id, code, _, _ in findings}
    stale = [f"{test_id} | {code}" for test_id, code in accepted if (test_id, code) not in seen]
    assert not stale, "baseline entries that match nothing any more (remove them):\n  " + (
        "\n  ".join(stale)
    )
