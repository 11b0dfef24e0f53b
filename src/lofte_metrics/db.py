"""Database access in one place: which URL, the engine, and the schema's migrations."""

from __future__ import annotations

import logging
import os
import sqlite3
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, exists, inspect, select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

ENV_VAR = "LOFTE_DATABASE_URL"
DEFAULT_SQLITE_FILE = "lofte.db"
MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(RuntimeError):
    """The database cannot be reached or is not usable; the message is for a person."""


def _secrets_url(cwd: Path) -> str | None:
    for path in (cwd / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"):
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise DatabaseError(f"Kan inte läsa {path}: {exc}") from exc
            url = data.get("connections", {}).get("lofte", {}).get("url")
            if url:
                return str(url)
    return None


def resolve_url(cli_url: str | None = None, cwd: Path | None = None) -> str:
    """The database URL: --database, else $LOFTE_DATABASE_URL, else secrets.toml, else ./lofte.db."""
    cwd = cwd or Path.cwd()
    if cli_url:
        return cli_url
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    secret = _secrets_url(cwd)
    if secret:
        return secret
    return f"sqlite:///{(cwd / DEFAULT_SQLITE_FILE).as_posix()}"


#: how long a writer waits for another writer to finish before it is told to try again (ms)
SQLITE_BUSY_MS = 30_000
#: the PostgreSQL advisory lock that makes writers take turns (any number, the same for all)
WRITE_LOCK = 4_151_022


class WriteBusy(RuntimeError):
    """Another write held the database too long; nothing of this one was written."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy, not the driver, begins transactions (see _sqlite_begin), so a writer can ask
    # for BEGIN IMMEDIATE and wait its turn instead of failing half way.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:  # a read-only file: it is read as it is
        pass
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', 'DEFERRED')}")


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets foreign keys on and WAL (unless the file is read-only)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # noqa: BLE001 - bad URLs raise several kinds
        raise DatabaseError(f"Ogiltig databas-URL {redact(url)}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def is_read_only(engine: Engine) -> bool:
    """A database this program may not write: an SQLite file opened read-only (``?mode=ro``,
    ``immutable=1``) or one the process may not write to."""
    if engine.dialect.name != "sqlite":
        return False
    url = engine.url
    query = {k: str(v) for k, v in url.query.items()}
    if query.get("mode") == "ro" or query.get("immutable") == "1":
        return True
    path = (url.database or "").removeprefix("file:").split("?")[0]
    return bool(path) and path != ":memory:" and os.path.exists(path) and not os.access(path, os.W_OK)


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return "<ogiltig URL>"


#: driver messages a person can act on, in Swedish
KNOWN_ERRORS = {
    "file is not a database": "filen är ingen databas (den är skadad, eller det är fel fil)",
    "unable to open database file": "databasfilen går inte att öppna (finns mappen, och får programmet läsa den?)",
    "database disk image is malformed": "databasfilen är skadad",
    "connection refused": "ingen databasserver svarar på adressen",
    "password authentication failed": "fel användarnamn eller lösenord",
    "does not exist": "databasen finns inte på servern",
}


def _in_swedish(exc: BaseException) -> str:
    text = str(exc)
    for known, swedish in KNOWN_ERRORS.items():
        if known in text.lower():
            return swedish
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return first[:200]


def check_connection(engine: Engine) -> None:
    """Raise DatabaseError with a readable message when the database does not answer (on SQLite
    the first page of the file is read, so a file that is no database is found here)."""
    probe = "SELECT count(*) FROM sqlite_master" if engine.dialect.name == "sqlite" else "SELECT 1"
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(probe)
    except Exception as exc:  # noqa: BLE001 - driver errors vary by backend
        raise DatabaseError(f"Databasen {redact(str(engine.url))} svarar inte: {_in_swedish(exc)}") from exc


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


@cache
def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def init_db(engine: Engine) -> None:
    """Create the schema, or upgrade an existing one in place, with Alembic."""
    check_connection(engine)
    command.upgrade(alembic_config(engine), "head")


def schema_state(engine: Engine) -> str:
    """``"empty"`` (no schema yet), ``"old"`` (written by an earlier version: run ``lofte init``)
    or ``"current"``."""
    names = set(inspect(engine).get_table_names())
    if "alembic_version" not in names:
        return "empty"
    return "current" if current_revision(engine) == head_revision() else "old"


def is_empty(engine: Engine) -> bool:
    """True when the schema is missing or the database follows no kommun (an EXISTS, not a count)."""
    from .models import Kommun

    if not inspect(engine).has_table("kommun"):
        return True
    with engine.connect() as conn:
        return not conn.execute(select(exists().where(Kommun.code.is_not(None)))).scalar()


@contextmanager
def session_scope(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error.

    ``write``: writers take turns. On SQLite the transaction begins IMMEDIATE (it waits for the
    write lock up front, up to ``SQLITE_BUSY_MS``); on PostgreSQL it takes an advisory lock. A
    writer that waited too long gets :class:`WriteBusy` with a Swedish message, and nothing of it
    is written.
    """
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if write and engine.dialect.name == "sqlite" else engine
    factory = sessionmaker(bind, expire_on_commit=False)
    session = factory()
    try:
        if write and engine.dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        if "database is locked" in str(exc) or "lock" in str(exc).lower() and "timeout" in str(exc).lower():
            raise WriteBusy(
                "Databasen är upptagen av en annan skrivning just nu. Inget är ändrat: försök igen om en stund."
            ) from None
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def write_rows(connection: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows into a table through the driver, past SQLAlchemy's per-row work: ``COPY`` on PostgreSQL,
    one ``executemany`` on SQLite. The values must already be what the driver takes (text for times
    on SQLite, as SQLAlchemy would write them)."""
    names = ", ".join(columns)
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        connection.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))


#: a write of at least this many rows refreshes the query planner's statistics of its tables
ANALYZE_AFTER_ROWS = 10_000


def refresh_statistics(engine: Engine, tables: Iterable[str]) -> None:
    """Tell the query planner what a large write changed. Without it PostgreSQL plans the next
    aggregate for the table as it was: after a million incidents came in, Rapport's monthly counts
    became a nested loop over every row 53 times (16 s instead of 0.7 s) until autovacuum came
    round. SQLite keeps the figures in ``sqlite_stat1``. ``tables`` are model table names, never
    input. A failure (say, a user who may write rows but not analyse) only costs speed."""
    try:
        with engine.begin() as conn:
            for table in sorted(set(tables)):
                conn.execute(text(f"ANALYZE {table}"))
    except SQLAlchemyError:
        logging.getLogger(__name__).warning("ANALYZE failed; the planner keeps its old statistics", exc_info=True)
