"""Who may run admin actions: Slack user id *and* team id against server-side settings.

Why ids and never names: ``user_name`` and display names are chosen by users (A2), and a valid
signature from another workspace (Slack Connect, a second install) is not one of our admins (A3).
Every decision on an admin action, allowed or refused, is audited without message text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.common.audit import write_audit
from bot.settings import Settings

logger = logging.getLogger(__name__)
REFUSAL = "Only changebot admins can do that. If you need it, ask your changebot admin."


@dataclass(frozen=True)
class Actor:
    """The ids Slack attached to a request; ``teams`` holds every team id the payload names."""

    user_id: str
    team_id: str
    teams: tuple[str, ...] = ()
    enterprise_id: str | None = None

    @property
    def label(self) -> str:
        """``team:user`` for audit records."""
        return f"{self.team_id}:{self.user_id}"


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def actor_from_body(body: dict[str, Any]) -> Actor:
    """Pull user and team ids from a slash command, interaction or event payload."""
    user, team, event = (_dict(body.get(name)) for name in ("user", "team", "event"))
    user_id = str(body.get("user_id") or user.get("id") or event.get("user") or "")
    candidates = [
        body.get("team_id"),
        team.get("id"),
        user.get("team_id"),
        body.get("user_team"),
        event.get("user_team"),
    ]
    teams = tuple(str(t) for t in candidates if t)
    enterprise = body.get("enterprise_id") or _dict(body.get("enterprise")).get("id")
    return Actor(user_id, teams[0] if teams else "", teams, enterprise)


def is_admin(settings: Settings, actor: Actor, home_team: str | None) -> bool:
    """True only for an allow-listed user id whose every team id is our workspace's."""
    expected_team = settings.admin_team_id or home_team
    if not expected_team or not actor.user_id or not actor.teams:
        return False
    if any(team != expected_team for team in actor.teams):
        return False
    return actor.user_id in settings.admin_user_ids


def authorise(settings: Settings, actor: Actor, home_team: str | None, action: str) -> bool:
    """Check an admin action and audit the decision (refusals included)."""
    allowed = is_admin(settings, actor, home_team)
    write_audit(
        settings.data_dir,
        actor=f"slack:{actor.label}",
        action=action,
        outcome="allowed" if allowed else "refused",
        user_id=actor.user_id,
        team_id=actor.team_id,
        enterprise_id=actor.enterprise_id,
    )
    if not allowed:
        logger.info("admin action refused: action=%s user=%s", action, actor.user_id)
    return allowed
