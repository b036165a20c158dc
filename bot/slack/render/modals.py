"""Pure builders for the two modals: the ``/diagnose`` form and the optional 👎 reason.

Why the form asks for role, setting and a 1–5 self-rating: the diagnosis core reads the situation
text; role and setting help it choose actions that fit (they are appended to the text as one
plain sentence), and the self-rating is shown back on the card next to the factors it found.
"""

from __future__ import annotations

import json
from typing import Any

from bot.slack.render.blocks import Block, context
from bot.slack.render.escape import plain
from bot.state.feedback import REASONS
from knowledge.framework import Framework

DIAGNOSE_CALLBACK = "diagnose_modal"
FEEDBACK_CALLBACK = "feedback_reason"
ROLES = {
    "board": "Board member or executive",
    "clinical_lead": "Clinical lead",
    "manager": "Service or operational manager",
    "improvement": "Improvement or transformation lead",
    "frontline": "Frontline clinician or practitioner",
    "other": "Other",
}
SETTINGS = {
    "ward": "Hospital ward or department",
    "board": "Trust board or executive team",
    "system": "ICB, ICS or system level",
    "primary_care": "General practice or PCN",
    "community": "Community or mental health services",
}


def _text(value: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": plain(value, 75), "emoji": True}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _text(label), "value": value}


def _select(block_id: str, label: str, options: dict[str, str]) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": True,
        "label": {"type": "plain_text", "text": plain(label, 2000)},
        "element": {
            "type": "static_select",
            "action_id": "value",
            "options": [_option(k, v) for k, v in options.items()],
        },
    }


def diagnose_modal(
    framework: Framework, max_chars: int, metadata: dict[str, str]
) -> dict[str, Any]:
    """The form; ``metadata`` (channel id, response_url) comes back on submission."""
    situation: Block = {
        "type": "input",
        "block_id": "situation",
        "label": {"type": "plain_text", "text": "What is happening?"},
        "hint": {
            "type": "plain_text",
            "text": "No patient names, NHS numbers or other identifiers.",
        },
        "element": {
            "type": "plain_text_input",
            "action_id": "text",
            "multiline": True,
            "max_length": min(max_chars, 3000),
        },
    }
    ratings = {
        str(n): f"{n} – {word}"
        for n, word in enumerate(("very weak", "weak", "mixed", "good", "strong"), 1)
    }
    blocks = [
        situation,
        _select("role", "Your role", ROLES),
        _select("setting", "Setting", SETTINGS),
    ]
    blocks.append(
        context("*Optional:* rate your team or organisation on the seven success factors.")
    )
    blocks += [_select(f"rate_{f.id}", f.label, ratings) for f in framework.factors]
    return {
        "type": "modal",
        "callback_id": DIAGNOSE_CALLBACK,
        "title": _text("Diagnose a situation"),
        "submit": _text("Diagnose"),
        "close": _text("Cancel"),
        "private_metadata": json.dumps(metadata, separators=(",", ":"))[:3000],
        "blocks": blocks,
    }


def feedback_reason_modal(value: str) -> dict[str, Any]:
    """The optional 👎 reason; ``value`` is the feedback button payload (ids only)."""
    return {
        "type": "modal",
        "callback_id": FEEDBACK_CALLBACK,
        "title": _text("What was wrong?"),
        "submit": _text("Send"),
        "close": _text("Skip"),
        "private_metadata": value[:3000],
        "blocks": [
            {
                "type": "input",
                "block_id": "reason",
                "optional": True,
                "label": {"type": "plain_text", "text": "Reason (optional)"},
                "element": {
                    "type": "radio_buttons",
                    "action_id": "value",
                    "options": [_option(k, v) for k, v in REASONS.items()],
                },
            }
        ],
    }
