"""Screen links: a wall screen cannot log in, so an administrator makes a read-only link for one
kommun and some pages. The link carries a signed token (HS256, with an expiry) naming the link;
the link's row in the database is what an administrator revokes. Both are checked on every run."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..db import session_scope
from ..ingest.changes import Batch, Plan, Planned, Written, values_hash, write
from ..models import AppSetting, ScreenLink
from .roles import Actor

ALGORITHM = "HS256"


class ScreenRefused(PermissionError):
    """A screen link that does not (or no longer) open anything; the message is for the screen."""


@dataclass(frozen=True)
class Link:
    ref: str
    kommunkod: str
    label: str
    pages: tuple[str, ...]
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "återkallad"
        return "gällande" if self.expires_at > dt.datetime.now(dt.UTC) else "utgången"


def _secret(engine: Engine, configured: str | None) -> bytes:
    """The configured secret, else one this database keeps (made once, at random)."""
    if configured:
        return configured.encode("utf-8")
    with Session(engine) as session:
        found = session.get(AppSetting, "screen_secret")
        if found is not None:
            return found.value.encode("utf-8")
    with session_scope(engine, write=True) as session:
        found = session.get(AppSetting, "screen_secret")
        if found is None:
            found = AppSetting(key="screen_secret", value=secrets.token_urlsafe(48))
            session.add(found)
        value = found.value
    return value.encode("utf-8")


def _key(engine: Engine, configured: str | None) -> object:
    from joserfc.jwk import OctKey

    return OctKey.import_key(_secret(engine, configured))


def create_link(engine: Engine, kommunkod: str, label: str, pages: list[str], days: int, actor: Actor,
                secret: str | None = None) -> tuple[Written, str]:  # fmt: skip
    """Make a link (administrators only, in the audit trail); returns the write and the token."""
    from joserfc import jwt

    if not pages:
        raise ValueError("Välj minst en sida för skärmen.")
    if not 1 <= days <= 366:
        raise ValueError("En skärmlänk gäller 1–366 dagar.")
    ref = secrets.token_hex(8)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    expires = now + dt.timedelta(days=days)
    values = {
        "ref": ref, "kommunkod": kommunkod, "label": (label.strip() or "Skärm")[:120], "pages": list(pages),
        "created_by": actor.identity[:200], "created_at": now, "expires_at": expires, "revoked_at": None,
    }  # fmt: skip
    record = Batch("skarm", "sidan Användare", f"Skärmlänk {values['label']}", values_hash(values), actor, 1, kommunkod)
    written = write(engine, Plan([Planned("screen_link", None, (ref,), values)]), record)
    token = jwt.encode({"alg": ALGORITHM}, {"ref": ref, "kommun": kommunkod, "exp": int(expires.timestamp())},
                       _key(engine, secret))  # fmt: skip
    return written, token


def revoke(engine: Engine, ref: str, actor: Actor) -> Written:
    with Session(engine) as session:
        link = session.scalar(select(ScreenLink).where(ScreenLink.ref == ref))
        if link is None:
            raise ValueError("Skärmlänken finns inte.")
        kommunkod, label = link.kommunkod, link.label
    values = {"ref": ref, "revoked_at": dt.datetime.now(dt.UTC)}
    record = Batch("skarm", "sidan Användare", f"Återkallade skärmlänk {label}", values_hash(values), actor, 1,
                   kommunkod)  # fmt: skip
    return write(engine, Plan([Planned("screen_link", None, (ref,), values)]), record)


def _link(row: ScreenLink) -> Link:
    return Link(row.ref, row.kommunkod, row.label, tuple(row.pages or ()), row.created_by, row.created_at,
                row.expires_at, row.revoked_at)  # fmt: skip


def links(engine: Engine, kommunkod: str) -> list[Link]:
    with Session(engine) as session:
        stmt = select(ScreenLink).where(ScreenLink.kommunkod == kommunkod).order_by(ScreenLink.created_at.desc())
        return [_link(r) for r in session.scalars(stmt)]


def verify(engine: Engine, token: str, secret: str | None = None) -> Link:
    """The link a token opens, or :class:`ScreenRefused` saying why not (in Swedish)."""
    from joserfc import jwt
    from joserfc.errors import ExpiredTokenError, JoseError

    try:
        decoded = jwt.decode(token, _key(engine, secret), algorithms=[ALGORITHM])
        jwt.JWTClaimsRegistry(exp={"essential": True}, ref={"essential": True}).validate(decoded.claims)
    except ExpiredTokenError:
        raise ScreenRefused("Skärmlänken har gått ut. Be en administratör om en ny länk.") from None
    except (JoseError, ValueError, TypeError):
        raise ScreenRefused("Skärmlänken är inte giltig.") from None
    with Session(engine) as session:
        row = session.scalar(select(ScreenLink).where(ScreenLink.ref == str(decoded.claims["ref"])))
        link = _link(row) if row is not None else None
    if link is None or link.kommunkod != decoded.claims.get("kommun"):
        raise ScreenRefused("Skärmlänken är inte giltig.")
    if link.revoked_at is not None:
        raise ScreenRefused("Skärmlänken är återkallad. Be en administratör om en ny länk.")
    if link.expires_at <= dt.datetime.now(dt.UTC):
        raise ScreenRefused("Skärmlänken har gått ut. Be en administratör om en ny länk.")
    return link
