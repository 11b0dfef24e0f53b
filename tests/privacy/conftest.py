"""The kommuner the attacks are made on: the sample Ekviken, and a generated kommun of 100 000
incidents (the sample's patterns, scaled up)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hostile import hostile_sample

from lofte_metrics.db import make_engine


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("stor") / "stor.db"
    url = f"sqlite:///{path}"
    done = subprocess.run([sys.executable, "-m", "lofte_metrics", "--database", url, "generate", "--incidents",
                           "100000"], capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(params=["exempel", "100000"])
def kommun(request, sqlite_sample):
    """Each attack is made on the sample kommun and on the generated one."""
    return sqlite_sample if request.param == "exempel" else request.getfixturevalue("generated")


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database loaded, through the importers, from the poisoned copy of the sample files."""
    from lofte_metrics.db import init_db
    from lofte_metrics.sample import load_sample

    directory = hostile_sample(tmp_path_factory.mktemp("fientlig") / "data")
    url = f"sqlite:///{directory.parent / 'fientlig.db'}"
    engine = make_engine(url)
    init_db(engine)
    load_sample(engine, directory)
    engine.dispose()
    return url
