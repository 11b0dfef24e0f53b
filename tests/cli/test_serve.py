"""`lofte serve`: on this computer only without login, read-only for everyone on request, and
gone from its port when it is stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lofte_metrics.cli import run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/_stcore/health", timeout=1) as response:
            return response.read() == b"ok"
    except OSError:
        return False


def other_address() -> str | None:
    """An address of this machine that is not loopback (where the network would reach it)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("10.255.255.255", 1))
            address = sock.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def serve(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "LOFTE_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    proc = subprocess.Popen([sys.executable, "-m", "lofte_metrics", "serve", "--headless", "--empty", "--port",
                             str(port), *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not answers(port):
        time.sleep(0.3)
    assert answers(port), proc.stdout.read().decode() if proc.poll() is not None else "no answer"
    return proc, port


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_lofte_serve_frees_the_port(tmp_path, stop):
    proc, port = serve(tmp_path)
    proc.send_signal(stop)
    proc.wait(timeout=20)
    time.sleep(0.5)
    assert not answers(port)


def test_without_login_it_listens_on_this_computer_only(tmp_path):
    address = other_address()
    if address is None:
        pytest.skip("this machine has no address but loopback to try from")
    proc, port = serve(tmp_path)
    try:
        assert answers(port) and not answers(port, address)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serving_the_network_without_login_is_refused_unless_read_only(tmp_path, capsys):
    messages: list[str] = []
    code = run(["--database", f"sqlite:///{tmp_path / 'x.db'}", "serve", "--address", "0.0.0.0"],
               out_err=messages.append)  # fmt: skip
    assert code == 1 and "Utan inloggning visas dashboarden bara på den här datorn" in messages[0]
    proc, port = serve(tmp_path, "--public-read-only")
    try:
        address = other_address()
        assert address is None or answers(port, address)
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0]
    assert "Skrivskyddad visning" in out.decode()
