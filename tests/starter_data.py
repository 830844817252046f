"""A complete, valid response to the stable starter questionnaire (tests/data/questionnaires/starter.yaml)."""

from __future__ import annotations

import copy
from typing import Any

STARTER_ANSWERS: dict[str, Any] = {
    "pay_receive_channel": ["fcy_account"],
    "pay_invoice_fcy": "yes",
    "pay_refunds": "no",
    "log_channel": "courier",
    "log_courier_registered": "yes",
    "log_hs_code": "no",
    "log_dispatch_days": 3,
    "plat_presence": ["alibaba"],
    "plat_reply_hours": 6,
    "plat_listing_photos": "some",
    "plat_contact_name": "Ayesha",
}


def starter_answers() -> dict[str, Any]:
    """A fresh copy, safe to change."""
    return copy.deepcopy(STARTER_ANSWERS)


def starter_response(**business: str) -> dict[str, Any]:
    """The answers as a response file, for Ali Sports Works (``business`` replaces its profile)."""
    return {
        "questionnaire": {"id": "starter", "version": "0.1"},
        "business": business
        or {"name": "Ali Sports Works", "city": "Sialkot", "sector": "Sports goods", "products": "Footballs"},
        "answers": starter_answers(),
        "assessed": {"on": "2026-11-23", "by": "self"},
        "tool_version": "0.1.0",
    }
