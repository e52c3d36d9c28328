"""Helpers shared by the moderation modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from homeward.community.services import PostRefused

CENSORED = "\u25a0\u25a0\u25a0"  # ■■■


def _refused(field_name: str, message: str) -> PostRefused:
    from homeward.community.services import PostRefused

    return PostRefused(field_name, message)
