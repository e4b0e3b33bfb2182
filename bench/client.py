"""A lean HTTP/1.1 client for loopback measurements: sequential timings and a fixed-duration
load of N concurrent connections (threads).

It writes a prepared request on a raw socket and reads the status line, the headers and exactly
``Content-Length`` bytes (or up to EOF), so its own cost per request stays far below the
server's; ``http.client`` spends more time parsing headers than some of the pages measured
take to render. A connection is kept while the server keeps it open (gunicorn's sync workers
close it after every response, so most requests open a new one, as browsers behind a proxy
without keep-alive would) and reopened otherwise. Every result also reports the client's own
CPU share, so a saturated client shows.
"""

import itertools
import socket
import threading
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"


class HttpError(RuntimeError):
    pass


def percentile(values, fraction):
    """Nearest-rank percentile of ``values`` (``fraction`` in 0..1)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _request_bytes(path, headers):
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}", "Accept: text/html,*/*",
             "Accept-Language: zh-hans", "User-Agent: portal-bench"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


class Connection:
    def __init__(self, port, timeout=120):
        self.port = port
        self.timeout = timeout
        self.sock = None
        self.buffer = b""

    def _open(self):
        self.sock = socket.create_connection((HOST, self.port), timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionResetError("closed by the server")
        self.buffer += chunk

    def get(self, request):
        """Send a prepared request; returns ``(status, body bytes)``."""
        for attempt in (1, 2):
            if self.sock is None:
                self._open()
            try:
                self.sock.sendall(request)
                return self._read_response()
            except (ConnectionResetError, BrokenPipeError):
                # A kept connection the server had closed meanwhile: once more on a new one.
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _read_response(self):
        while b"\r\n\r\n" not in self.buffer:
            self._recv()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip().lower()
        length = headers.get(b"content-length")
        keep = headers.get(b"connection") != b"close"
        if length is not None:
            length = int(length)
            self.buffer = rest
            while len(self.buffer) < length:
                self._recv()
            body, self.buffer = self.buffer[:length], self.buffer[length:]
        else:
            self.buffer = rest
            keep = False
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                self.buffer += chunk
            body, self.buffer = self.buffer, b""
        if not keep:
            self.close()
        return status, body


@dataclass
class Timings:
    """Sequential request times in seconds."""

    seconds: list = field(default_factory=list)

    @property
    def p50(self):
        return percentile(self.seconds, 0.50)

    @property
    def p95(self):
        return percentile(self.seconds, 0.95)

    def as_dict(self):
        return {"count": len(self.seconds), "p50_ms": self.p50 * 1000, "p95_ms": self.p95 * 1000,
                "min_ms": min(self.seconds) * 1000 if self.seconds else 0.0}


def time_sequential(port, paths, *, iterations, warmup=10, headers=None, expect=200,
                    budget=None, minimum=20, before=None):
    """Request ``paths(i)`` (a function of the iteration number) one after another; returns
    :class:`Timings` of the measured iterations (after ``warmup`` unmeasured ones). With a
    ``budget`` (seconds), measuring stops early once it is spent and ``minimum`` iterations
    are done. ``before``: a path requested, unmeasured, before each request (the bench's
    cache bump, for cold figures)."""
    connection = Connection(port)
    timings = Timings()
    deadline = None
    try:
        for i in range(warmup + iterations):
            if i == warmup and budget is not None:
                deadline = time.perf_counter() + budget
            if deadline is not None and len(timings.seconds) >= minimum \
                    and time.perf_counter() > deadline:
                break
            if before is not None:
                status, body = connection.get(_request_bytes(before, None))
                if status != 200:
                    raise HttpError(f"GET {before} answered {status}: {body[:300]!r}")
            request = _request_bytes(paths(i), headers)
            started = time.perf_counter()
            status, body = connection.get(request)
            elapsed = time.perf_counter() - started
            if status != expect:
                raise HttpError(f"GET {paths(i)} answered {status}, not {expect}: "
                                f"{body[:300]!r}")
            if i >= warmup:
                timings.seconds.append(elapsed)
    finally:
        connection.close()
    return timings


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies: list
    client_cpu: float   # share of one core the client used

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    def as_dict(self):
        return {"requests": self.requests, "errors": self.errors, "seconds": self.seconds,
                "rps": self.rps, "p50_ms": percentile(self.latencies, 0.5) * 1000,
                "p95_ms": percentile(self.latencies, 0.95) * 1000,
                "client_cpu_share": self.client_cpu}


def load(port, path, *, connections=8, duration=10.0, headers=None, warmup=1.0):
    """``connections`` threads, each requesting ``path`` back to back for ``duration`` seconds
    (after ``warmup`` seconds that are not counted). Non-200 answers count as errors.
    ``path`` may be a list: the threads take its paths in turn, each once."""
    paths = [path] if isinstance(path, str) else list(path)
    requests = [_request_bytes(one, headers) for one in paths]
    turn = itertools.count()

    def next_request():
        return requests[next(turn) % len(requests)]

    stop = threading.Event()
    counting = threading.Event()
    lock = threading.Lock()
    totals = {"requests": 0, "errors": 0}
    latencies = []

    def worker():
        connection = Connection(port)
        done = errors = 0
        mine = []
        try:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    status, _body = connection.get(next_request())
                except OSError:
                    status = 0
                    connection.close()
                if counting.is_set() and not stop.is_set():
                    mine.append(time.perf_counter() - started)
                    if status == 200:
                        done += 1
                    else:
                        errors += 1
        finally:
            connection.close()
            with lock:
                totals["requests"] += done
                totals["errors"] += errors
                latencies.extend(mine)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    counting.set()
    time.sleep(duration)
    stop.set()
    elapsed = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    for thread in threads:
        thread.join(timeout=150)
    return LoadResult(requests=totals["requests"], errors=totals["errors"], seconds=elapsed,
                      latencies=latencies, client_cpu=cpu / elapsed if elapsed else 0.0)
