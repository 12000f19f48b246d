"""Servers and steps that tests and benchmarks start on this machine, on loopback."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import redis

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


def wait_until(condition: Callable[[], object], seconds: float, what: str) -> None:
    """Wait for a condition, not for a guessed time: fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@contextlib.contextmanager
def private_redis(port: int) -> Iterator[subprocess.Popen]:
    """A redis-server of our own, empty, on this port until the block ends: a test may
    stop and start it (a restart) without touching the shared one."""
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield server
    finally:
        server.terminate()
        server.wait(10)
