"""Soak test: drive the running chat with concurrent clients and report what held.

    python -m eval.soak                      # start ui.py on the bundled articles + a giant one-line file
    python -m eval.soak --url http://127.0.0.1:7860/   # an already running chat (RSS not measured)
    python -m eval.soak --clients 8 --questions 5 --giant-kb 200

Each client (``gradio_client``) asks its questions one after another through the documented
``/ask`` endpoint; one extra client asks a question that retrieves the biggest passage of
the giant file. Reports completed and failed requests, p50/p95 latency and, when this script
started the server, the server's peak resident memory. It is a measurement, never a CI
gate: these machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rag.config import PROJECT_ROOT

QUESTIONS = [
    "How many instructors came with the Russian equipment?",
    "Who is Mamadou Thior?",
    "Which country besides the US has had a military airbase in Niger's capital?",
    "How many US military personnel are in Niger?",
    "What is the boiling point of water at sea level?",
    "When did Putin and Tiani speak on the phone?",
    "Why did France withdraw its troops from Niger?",
]
#: Words of the giant file, so that this question retrieves its passages.
GIANT_WORDS = "the reservoir gauge at the northern dam read high water again and the engineers logged it "
GIANT_QUESTION = "What did the engineers log at the northern dam reservoir gauge?"


def write_giant(folder: Path, kb: int) -> Path:
    """One line of ``kb`` kilobytes with no sentence break: the worst case for chunking."""
    path = folder / "giant-one-line.txt"
    text = (GIANT_WORDS * (kb * 1024 // len(GIANT_WORDS) + 1))[: kb * 1024]
    path.write_text("Giant one-line file\n\n" + text, encoding="utf-8")
    return path


def _rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and its children, in kB (0 if unreadable)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def _wait_for(url: str, proc: subprocess.Popen | None, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"ui.py exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the chat at {url} did not answer within {timeout:.0f} s")


def run(url: str, clients: int, questions: int, timeout: float) -> dict:
    from gradio_client import Client

    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def one_client(i: int, qs: list[str]) -> None:
        client = Client(url, verbose=False)
        for q in qs:
            t0 = time.perf_counter()
            try:
                job = client.submit(q, [], api_name="/ask")
                result = job.result(timeout=timeout)
                ok = isinstance(result, dict) and (result.get("answer") or result.get("error"))
                with lock:
                    (
                        latencies.append(time.perf_counter() - t0)
                        if ok
                        else failures.append(f"client {i}: {q}: {result!r}"[:300])
                    )
            except Exception as exc:
                with lock:
                    failures.append(f"client {i}: {q}: {type(exc).__name__}: {exc}"[:300])

    plans = [[QUESTIONS[(i + j) % len(QUESTIONS)] for j in range(questions)] for i in range(clients)]
    plans.append([GIANT_QUESTION])
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(plans)) as pool:
        for i, plan in enumerate(plans):
            pool.submit(one_client, i, plan)
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    return {
        "requests": sum(len(p) for p in plans),
        "completed": len(lat),
        "failed": len(failures),
        "p50_s": statistics.median(lat) if lat else None,
        "p95_s": lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else None,
        "wall_s": wall,
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.soak", description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="a running chat; default: start ui.py on a temporary copy of seeds/")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--questions", type=int, default=5, help="questions per client")
    ap.add_argument("--giant-kb", type=int, default=200, help="size of the one-line file added to the articles")
    ap.add_argument(
        "--timeout", type=float, default=900, help="seconds one request may take before it counts as failed"
    )
    args = ap.parse_args(argv)

    proc = None
    tmp = None
    peak = [0]
    stop = threading.Event()
    url = args.url
    if url is None:
        tmp = Path(tempfile.mkdtemp(prefix="rag-soak-"))
        shutil.copytree(PROJECT_ROOT / "seeds", tmp / "seeds")
        write_giant(tmp / "seeds", args.giant_kb)
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        url = f"http://127.0.0.1:{port}/"
        log = open(tmp / "ui.log", "w")  # noqa: SIM115 - the server writes to it until stopped
        proc = subprocess.Popen(
            [
                sys.executable,
                str(PROJECT_ROOT / "ui.py"),
                "--port",
                str(port),
                "--seeds",
                str(tmp / "seeds"),
                "--index",
                str(tmp / "index"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], _rss_kb(proc.pid))
                stop.wait(0.5)

        threading.Thread(target=sample, daemon=True).start()
    try:
        print(f"waiting for the chat at {url} …", flush=True)
        _wait_for(url, proc, 1800)
        idle = _rss_kb(proc.pid) if proc else 0
        report = run(url, args.clients, args.questions, args.timeout)
    finally:
        stop.set()
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    def secs(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.1f} s"

    print(
        f"requests: {report['requests']} ({args.clients} clients x {args.questions} questions + 1 giant-passage question)"
    )
    print(f"completed: {report['completed']}, failed: {report['failed']}")
    print(f"latency p50 / p95: {secs(report['p50_s'])} / {secs(report['p95_s'])}; wall {secs(report['wall_s'])}")
    if proc is not None:
        print(f"server RSS: {idle / 1024 / 1024:.2f} GB when ready, peak {peak[0] / 1024 / 1024:.2f} GB")
    for f in report["failures"][:10]:
        print("  failed:", f)
    return 1 if report["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
