"""The portal under gunicorn on loopback, as a subprocess of the benchmark run."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _supports(gunicorn, option):
    result = subprocess.run([gunicorn, "--help"], capture_output=True, text=True, check=False)
    return option in result.stdout


class Gunicorn:
    """``gunicorn challenge_portal.wsgi --no-control-socket -w <workers>`` on a free loopback
    port with the run's environment; a context manager that stops it (its own process group
    only) on exit."""

    def __init__(self, env, *, workers=2, log_path=None, database_url=None):
        self.env = env
        self.database_url = database_url
        self.workers = workers
        self.port = free_port()
        self.log_path = log_path
        self.process = None
        self._log = None

    @property
    def command(self):
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        # gunicorn >= 24 opens a control socket unless told not to; 23 has no such option.
        options = ["--no-control-socket"] if _supports(gunicorn, "--no-control-socket") else []
        return [gunicorn, "challenge_portal.wsgi", *options,
                "-w", str(self.workers), "-b", f"{HOST}:{self.port}",
                # Sync workers; long enough for the slowest page at 100k.
                "--timeout", "120", "--log-level", "warning"]

    def __enter__(self):
        env = {**os.environ, **self.env.django_env(self.database_url)}
        self._log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=env, stdout=self._log,
                                        stderr=self._log, start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see "
                                   f"{self.log_path}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within a minute")

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            # Its own session: the master and its workers, nothing else.
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._log not in (None, subprocess.DEVNULL):
            self._log.close()
        return False
