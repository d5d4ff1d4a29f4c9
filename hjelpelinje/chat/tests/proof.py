"""Proof of work for tests that start chats: solve a challenge as a visitor's page would.

The suite's difficulty is tiny (HJELPELINJE_CHAT_POW_MAXNUMBER in test_settings), so
solving costs nothing; the server checks every solution in full all the same.
"""

from __future__ import annotations

from typing import Any

from altcha import v1 as altcha

from hjelpelinje.chat import pow


def solve(challenge: dict[str, Any]) -> dict[str, Any]:
    """The `pow` a `start` frame carries, for a challenge as the server sent it."""
    solution = altcha.solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"]
    )
    assert solution is not None, "no number solves this challenge"
    return {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }


def start_frame(**fields: Any) -> dict[str, Any]:
    """A `start` frame with a fresh solution, from a challenge issued in this process."""
    return {"type": "start", "pow": solve(pow.challenge_create()), **fields}
