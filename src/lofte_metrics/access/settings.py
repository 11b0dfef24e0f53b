"""The access settings in ``.streamlit/secrets.toml``: whether login is configured (``[auth]``, read
by Streamlit's own ``st.login``), which claim carries roles and how its values map to roles
(``[lofte.roles]``), and the secret that signs screen links.

.. code-block:: toml

    [lofte]
    role_claim = "roles"              # the ID token's claim with app roles or groups
    screen_secret = "…"               # optional; else [auth] cookie_secret, else one kept in the database

    [lofte.roles]                     # claim value -> "kommunkod:roll" (or a list of them)
    "Lofte.Lasare" = "0580:läsare"
    "Lofte.Redaktor" = "0580:redaktör"
    "Lofte.Admin" = "*:administratör"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AccessSettings:
    auth: bool = False
    role_claim: str = "roles"
    role_map: Mapping[str, object] = field(default_factory=dict)
    screen_secret: str | None = None


def load(secrets: Mapping[str, Any]) -> AccessSettings:
    auth = secrets.get("auth") or {}
    lofte = secrets.get("lofte") or {}
    configured = isinstance(auth, Mapping) and bool(auth.get("redirect_uri")) and bool(auth.get("cookie_secret"))
    secret = (lofte.get("screen_secret") if isinstance(lofte, Mapping) else None) or (
        auth.get("cookie_secret") if isinstance(auth, Mapping) else None
    )
    roles = lofte.get("roles") if isinstance(lofte, Mapping) else None
    return AccessSettings(
        auth=configured,
        role_claim=str(lofte.get("role_claim", "roles")) if isinstance(lofte, Mapping) else "roles",
        role_map=dict(roles) if isinstance(roles, Mapping) else {},
        screen_secret=str(secret) if secret else None,
    )
