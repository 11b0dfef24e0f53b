"""A real Streamlit server on 127.0.0.1 and headless Debian chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-gl=swiftshader",
    "--enable-unsafe-swiftshader",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server(str):
    """The base URL (a str, for the page tests) with the database URL beside it."""

    base: str
    database: str


def _start_server(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    sample: bool = True,
    secrets: str | None = None,
    host: str = "127.0.0.1",
    port: int | None = None,
    data: Path | None = None,
) -> Iterator[Server]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: scripts/test.sh installs it (apt-get install chromium)")
    from lofte_metrics.db import init_db, make_engine
    from lofte_metrics.sample import load_sample

    path = tmp_path_factory.mktemp(name) / f"{name}.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    init_db(engine)
    if sample:
        load_sample(engine, *([data] if data else []))
    engine.dispose()
    port = port or _free_port()
    env = {**os.environ, "LOFTE_DATABASE_URL": url, "LOFTE_BASEMAP": "none"}
    extra: list[str] = []
    if secrets is not None:
        secrets_file = tmp_path_factory.mktemp(f"{name}-secrets") / "secrets.toml"
        secrets_file.write_text(secrets, encoding="utf-8")
        extra = ["--secrets.files", str(secrets_file)]
    log = (tmp_path_factory.mktemp(f"{name}-log") / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *extra],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://{host}:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.read().decode() == "ok":
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not answer on /_stcore/health within 60 s")
    server = Server(base)
    server.base = base
    server.database = url
    yield server
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _start_server(tmp_path_factory, "e2e")


@pytest.fixture(scope="session")
def import_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _start_server(tmp_path_factory, "e2e-import")


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The sample loaded from files with a hostile value in every text (see tests/hostile.py)."""
    from hostile import hostile_sample

    data = hostile_sample(tmp_path_factory.mktemp("e2e-hostile-data") / "data")
    yield from _start_server(tmp_path_factory, "e2e-hostile", data=data)


@pytest.fixture(scope="session")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on a database that follows no kommun yet: the first run of a real kommun."""
    yield from _start_server(tmp_path_factory, "e2e-empty", sample=False)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


#: who can sign in at the test identity provider, and the roles its claim gives them
OIDC_USERS = {
    "lasse": ["lofte-lasare"],
    "rut": ["lofte-redaktor"],
    "ada": ["0499:administratör"],
    "nils": [],
}


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[str]:
    """A real OpenID Connect provider on this machine (oidc-provider-mock)."""
    from oidc_provider_mock import User, run_server_in_thread

    users = [User(sub=sub, claims={"email": f"{sub}@ekviken.se", "name": sub.capitalize(), "roles": roles})
             for sub, roles in OIDC_USERS.items()]  # fmt: skip
    with run_server_in_thread(port=0, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="session")
def auth_server(tmp_path_factory: pytest.TempPathFactory, oidc_provider: str) -> Iterator[Server]:
    """The app with login through the provider above; roles from its "roles" claim."""
    port = _free_port()
    secrets = f"""
[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-that-is-long-enough-0123456789"
client_id = "lofte"
client_secret = "hemligt"
server_metadata_url = "{oidc_provider}/.well-known/openid-configuration"

[lofte.roles]
"lofte-lasare" = "0499:läsare"
"lofte-redaktor" = ["0499:redaktör"]
"""
    yield from _start_server(tmp_path_factory, "e2e-auth", secrets=secrets, host="localhost", port=port)
