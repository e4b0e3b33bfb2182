import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_serves_healthz_with_no_control_socket(tmp_path):
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DEBUG": "true",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    server = subprocess.Popen(
        [str(gunicorn), "challenge_portal.wsgi", "--no-control-socket", "--workers", "1",
         "--bind", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    status = r.status
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer in 60 s"
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert status == 200
    assert not any(tmp_path.glob("*.sock")) and not any(tmp_path.glob(".gunicorn*"))
