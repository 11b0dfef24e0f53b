"""The lofte command: one-line errors, and the same sample counts on SQLite and PostgreSQL."""

import subprocess
import sys

from lofte_metrics import queries as q
from lofte_metrics.cli import run
from lofte_metrics.db import make_engine, resolve_url


def lofte(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "lofte_metrics", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_init_and_sample_into_sqlite_then_refuse_twice(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    first = lofte("--database", url, "sample")
    assert first.returncode == 0, first.stderr
    assert "incidents: 5370" in first.stdout
    again = lofte("sample", "--database", url)
    assert again.returncode == 1
    assert again.stderr.strip() == "lofte: Exempelkommunen Ekviken (0499) finns redan i databasen."
    assert "Traceback" not in again.stderr


def test_sample_into_postgresql_gives_the_same_counts(pg, sqlite_sample):
    url = pg.create()
    result = lofte("--database", url, "sample")
    assert result.returncode == 0, result.stderr
    engine = make_engine(url)
    try:
        assert q.table_counts(engine) == q.table_counts(sqlite_sample)
    finally:
        engine.dispose()


def test_unreachable_database_is_one_line(capsys):
    messages = []
    code = run(["--database", "postgresql+psycopg://nobody@127.0.0.1:9/x", "init"], out_err=messages.append)
    assert code == 1
    assert len(messages) == 1 and messages[0].startswith("lofte: fel: Databasen postgresql+psycopg://")
    assert "svarar inte" in messages[0]


def test_bad_url_and_bad_arguments():
    messages = []
    assert run(["init", "--database", "nosuch://x"], out_err=messages.append) == 1
    assert messages == ["lofte: fel: Ogiltig databas-URL nosuch://x: Can't load plugin: sqlalchemy.dialects:nosuch"]
    result = lofte("generate", "--incidents", "0", "--database", "sqlite://")
    assert result.returncode == 1
    assert result.stderr.strip() == "lofte: fel: ange ett positivt antal för --incidents, --presence eller --activities"


def test_url_resolution_order(tmp_path, monkeypatch):
    monkeypatch.delenv("LOFTE_DATABASE_URL", raising=False)
    assert resolve_url(None, tmp_path) == f"sqlite:///{(tmp_path / 'lofte.db').as_posix()}"
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[connections.lofte]\nurl = "sqlite:///s.db"\n')
    assert resolve_url(None, tmp_path) == "sqlite:///s.db"
    monkeypatch.setenv("LOFTE_DATABASE_URL", "sqlite:///env.db")
    assert resolve_url(None, tmp_path) == "sqlite:///env.db"
    assert resolve_url("sqlite:///cli.db", tmp_path) == "sqlite:///cli.db"


def test_generate_adds_synthetic_incidents(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    result = lofte("--database", url, "generate", "--incidents", "2000")
    assert result.returncode == 0, result.stderr
    engine = make_engine(url)
    sources = q.source_overview(engine).set_index("source")["count"]
    assert sources["syntetisk"] == 2000


def test_lofte_report_writes_the_chosen_format_and_says_what_it_wrote(sqlite_sample, tmp_path, capsys, monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.chdir(tmp_path)
    url = sqlite_sample.url.render_as_string(hide_password=False)
    target = tmp_path / "månadsrapport.xlsx"
    code = run(["--database", url, "report", "--from", "2022-01-01", "--to", "2022-10-16", "--output", str(target)])
    assert code == 0
    said = capsys.readouterr().out
    assert said.startswith("Excel för Ekvikens kommun, 2022-01-01–2022-10-16 (data t.o.m. 2022-10-16): ")
    book = load_workbook(target)
    assert "Sammanfattning" in book.sheetnames and "Om rapporten" in book.sheetnames
    # without --output: the plain ASCII name in the working directory
    code = run(["report", "--database", url, "--format", "pptx", "--fokus", "trafik"])
    assert code == 0
    assert "uppfoljning-ekviken-2022-01-01-2022-10-16.pptx" in capsys.readouterr().out
    assert (tmp_path / "uppfoljning-ekviken-2022-01-01-2022-10-16.pptx").stat().st_size > 10_000


def test_lofte_report_refuses_what_it_cannot_make_in_one_swedish_line(sqlite_sample, tmp_path):
    url = sqlite_sample.url.render_as_string(hide_password=False)
    said: list[str] = []
    assert run(["report", "--database", url, "--output", str(tmp_path / "x.docx")], out_err=said.append) == 1
    assert run(["report", "--database", url, "--format", "pdf", "--from", "2022-06-01", "--to", "2022-05-01"],
               out_err=said.append) == 1  # fmt: skip
    assert run(["report", "--database", url, "--format", "xlsx", "--fokus", "buller"], out_err=said.append) == 1
    assert run(["report", "--database", url, "--format", "xlsx", "--kommun", "0580"], out_err=said.append) == 1
    assert said == [
        "lofte: fel: ange --format pdf|pptx|xlsx (eller en fil som slutar så).",
        "lofte: fel: --to (2022-05-01) ligger före --from (2022-06-01).",
        "lofte: fel: okänt fokusområde buller; välj bland trygghet, narkotika, trafik.",
        "lofte: fel: kommunen 0580 följs inte i databasen.",
    ]
    assert not list(tmp_path.iterdir())
    result = lofte("report", "--database", url, "--format", "xlsx", "--from", "0001-01-01")
    assert result.returncode == 2 and "0001-01-01 ligger utanför 1990–2100" in result.stderr
