"""Benchmark: ``doanmodel serve``, ``POST /score`` on examples/cum-thi-dua-2023.

    python benchmarks/serve.py                        # 1 and 2 workers, 200 requests each
    python benchmarks/serve.py --requests 500 --concurrency 4 --seconds 60

Starts ``doanmodel serve`` on 127.0.0.1 (never another address) on a free port with 1, then 2
worker processes, sends the dataset (as ``dm.dataset_to_json`` writes it) a bounded number of
times (``--requests``, stopping early after ``--seconds``) from ``--concurrency`` client
threads, checks every answer equals the first, and prints requests per second and p50/p95
latency, also for one client at a time. Also prints the import time of the server stack. A
script, not a test.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

import doanmodel as dm

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "examples" / "cum-thi-dua-2023"
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _start(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "doanmodel", "serve", "--host", HOST,
                             "--port", str(port), "--workers", str(workers), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:  # noqa: PLR2004
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def _load(base: str, body: bytes, requests: int, concurrency: int, seconds: float
          ) -> tuple[int, float, list[float], bool]:
    """(requests done, wall seconds, latencies, all answers equal)."""
    latencies: list[float] = []
    answers: set[bytes] = set()
    lock = threading.Lock()
    left = [requests]
    stop = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(base_url=base, timeout=120) as c:
            while True:
                with lock:
                    if left[0] <= 0 or time.monotonic() > stop:
                        return
                    left[0] -= 1
                t = time.perf_counter()
                r = c.post("/score", content=body, headers={"Content-Type": "application/json"})
                took = time.perf_counter() - t
                if r.status_code != 200:  # noqa: PLR2004
                    raise SystemExit(f"HTTP {r.status_code}: {r.text[:500]}")
                with lock:
                    latencies.append(took)
                    answers.add(r.content)

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), time.perf_counter() - start, latencies, len(answers) == 1


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _import_time(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(5)]
    return min(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    body = dm.dataset_to_json(dm.load_dataset(DATASET)).encode()
    print(f"# POST /score, {DATASET.name} ({len(body)} bytes of JSON), {os.cpu_count()} cores, "
          f"Python {sys.version.split()[0]}")
    for module in ("starlette.applications", "uvicorn", "doanmodel.serve._app"):
        print(f"import {module}: {_import_time(module) * 1000:.0f} ms")
    print("| workers | clients | requests | req/s | p50 ms | p95 ms | same answers |")
    print("|---|---|---|---|---|---|---|")
    for workers in args.workers:
        proc, base = _start(workers)
        try:
            _load(base, body, 2 * workers, workers, args.seconds)  # warm every worker
            for clients in sorted({1, args.concurrency}):
                n, wall, lat, same = _load(base, body, args.requests, clients, args.seconds)
                print(f"| {workers} | {clients} | {n} | {n / wall:.1f} | "
                      f"{statistics.median(lat) * 1000:.0f} | {_pct(lat, 0.95) * 1000:.0f} | "
                      f"{same} |")
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
