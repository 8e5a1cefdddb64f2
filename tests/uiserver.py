"""Start ``ui.py`` in a subprocess on a free port, for tests against a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rag.config import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_ui(seeds: Path, index: Path, log: Path, timeout: float = 900) -> Iterator[str]:
    """Yield the URL of a running ui.py; stop it afterwards."""
    port = free_port()
    args = [str(PROJECT_ROOT / "ui.py"), "--port", str(port), "--seeds", str(seeds), "--index", str(index)]
    with running_server(args, f"http://127.0.0.1:{port}/", "", log, timeout) as url:
        yield url


@contextmanager
def running_server(args: list[str], url: str, ready: str, log: Path, timeout: float = 900) -> Iterator[str]:
    """Run ``python args...``; yield ``url`` once ``url + ready`` answers 200; stop it afterwards."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, *args], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=PROJECT_ROOT
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"{args[0]} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
                try:
                    with urllib.request.urlopen(url + ready, timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{args[0]} did not start in {timeout}s:\n{log.read_text()[-3000:]}")
                time.sleep(1)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def launch_browser(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
