"""Access: who may do what (roles per kommun), who is acting (login, the local administrator, a
screen link), and what was done (the audit trail). Permissions are enforced where rows are
written (``ingest.changes``), not only in the pages."""

from .roles import ALL_KOMMUNER, ROLE_WORDS, ROLES, AccessDenied, Action, Actor, Role

__all__ = ["ALL_KOMMUNER", "ROLES", "ROLE_WORDS", "AccessDenied", "Action", "Actor", "Role"]
