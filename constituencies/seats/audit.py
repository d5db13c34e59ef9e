"""The audit trail: one AuditEvent row for every applied import, bloc change, override change and deleted election."""

from __future__ import annotations

from constituencies.models import AuditEvent


def actor_fields(user, fallback: str = "") -> dict:
    """The `user` and `username` of a record (models.MadeByUser) made by `user`: with no signed-in user,
    none and `fallback` (e.g. the command line's user name)."""
    if user is not None and getattr(user, "is_authenticated", False):
        return {"user": user, "username": user.get_username()}
    return {"user": None, "username": fallback}


def record_event(
    action: str,
    summary: str,
    *,
    user=None,
    username: str = "",
    details: dict | None = None,
    election=None,
    constituency=None,
    results_import=None,
) -> AuditEvent:
    """Write one audit event. Call it inside the transaction that makes the change it records."""
    return AuditEvent.objects.create(
        action=action,
        summary=summary[:500],
        **actor_fields(user, username),
        details=details or {},
        election=election,
        constituency=constituency,
        results_import=results_import,
    )
