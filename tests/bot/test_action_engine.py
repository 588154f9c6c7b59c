"""The pure turn plan: what a message means for the pending action. Table-tested."""

from __future__ import annotations

import pytest

from tandem.bot.actions.engine import Move, PendingAction, plan
from tandem.bot.actions.spec import load_actions
from tandem.demo import ACTIONS_DIR

ACTIONS = load_actions(ACTIONS_DIR)
ASKING_EMAIL = PendingAction("order_status", {"order_number": "1042"}, asking="email")


@pytest.mark.parametrize(
    ("text", "intents", "pending", "new_question", "move", "action"),
    [
        pytest.param(
            "where is my order 1042?", (), None, False, Move.ASK, "order_status", id="phrase"
        ),
        pytest.param(
            "parcel???", ("order_status",), None, False, Move.ASK, "order_status", id="intent-model"
        ),
        pytest.param("how long do refunds take?", (), None, True, None, None, id="no-action"),
        pytest.param(
            "sam@example.com", (), ASKING_EMAIL, False, Move.RUN, "order_status", id="slot-filled"
        ),
        pytest.param(
            "never mind", (), ASKING_EMAIL, False, Move.ABANDON, "order_status", id="never-mind"
        ),
        pytest.param(
            "do you ship to Norway?",
            (),
            ASKING_EMAIL,
            True,
            Move.SWITCH,
            "order_status",
            id="switch",
        ),
        pytest.param(
            "I forgot my password",
            (),
            ASKING_EMAIL,
            True,
            Move.ASK,
            "reset_password",
            id="other-action",
        ),
        pytest.param("hmm", (), ASKING_EMAIL, False, Move.ASK, "order_status", id="reask"),
        pytest.param(
            "hmm",
            (),
            PendingAction("order_status", {}, "email", reasks=2),
            False,
            Move.GIVE_UP,
            "order_status",
            id="give-up",
        ),
        pytest.param(
            "I'd like to stop it",
            ("cancel_order", "change_address"),
            None,
            False,
            Move.CLARIFY,
            None,
            id="two-close-intents",
        ),
        pytest.param(
            "cancel my order or change my address",
            (),
            None,
            False,
            Move.CLARIFY,
            None,
            id="two-fit",
        ),
    ],
)
def test_plan(
    text: str,
    intents: tuple[str, ...],
    pending: PendingAction | None,
    new_question: bool,
    move: Move | None,
    action: str | None,
) -> None:
    step = plan(
        ACTIONS, text=text, intents=intents, pending=pending, known={}, new_question=new_question
    )
    assert (step.move if step else None) is move
    assert (step.action.name if step and step.action else None) == action


def test_verified_details_are_reused_by_the_next_action() -> None:
    step = plan(
        ACTIONS,
        text="Cancel my order",
        intents=(),
        pending=None,
        known={"order_number": "1042", "email": "sam.taylor@example.com"},
        new_question=False,
    )
    assert step is not None
    assert step.move is Move.RUN
    assert step.pending is not None
    assert step.pending.slots["order_number"] == "1042"


def test_a_question_about_the_last_result_is_a_follow_up() -> None:
    step = plan(
        ACTIONS,
        text="when will it arrive?",
        intents=(),
        pending=None,
        known={},
        new_question=True,
        last="order_status",
    )
    assert step is not None
    assert step.move is Move.FOLLOW_UP
    assert (
        plan(
            ACTIONS,
            text="when will it arrive?",
            intents=(),
            pending=None,
            known={},
            new_question=True,
        )
        is None
    )
