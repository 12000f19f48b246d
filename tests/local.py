"""Servers and steps that tests and benchmarks start on this machine, on loopback."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_step(module: str, *args: str, env: dict[str, str], timeout: float = 600) -> dict:
    """`python -m module args` in a child process (one that sets up Django its own way);
    the step prints one JSON line last, which is returned."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, timeout=timeout, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def process_group(args: list[str], env: dict[str, str], out: IO) -> Iterator[subprocess.Popen]:
    """A server in a process group of its own, stopped with all its children on exit
    (SIGTERM, then SIGKILL after 15 s), also on error."""
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
