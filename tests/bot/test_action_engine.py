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
    assert step.move is Move.CONFIRM  # a write: the customer says yes first
    assert step.pending is not None
    assert step.pending.slots["order_number"] == "1042"


SAM = "sam.taylor@example.com"
CONFIRMING = PendingAction("cancel_order", {"order_number": "1042", "email": SAM}, confirming=True)


@pytest.mark.parametrize(
    ("text", "new_question", "move"),
    [
        pytest.param("yes", False, Move.RUN, id="yes"),
        pytest.param("Yes please, cancel it", False, Move.RUN, id="yes-please"),
        pytest.param("ja, bitte", False, Move.RUN, id="german"),
        pytest.param("好的，取消吧", False, Move.RUN, id="chinese"),
        pytest.param("no", False, Move.ABANDON, id="no"),
        pytest.param("Nee, laat maar", False, Move.ABANDON, id="dutch-no"),
        pytest.param("yes but not that one", False, Move.CONFIRM, id="hedged"),
        pytest.param("hmm", False, Move.CONFIRM, id="unclear"),
        pytest.param("do you ship to Norway?", True, Move.SWITCH, id="new-question"),
    ],
)
def test_a_write_runs_only_after_a_yes(text: str, new_question: bool, move: Move) -> None:
    step = plan(
        ACTIONS, text=text, intents=(), pending=CONFIRMING, known={}, new_question=new_question
    )
    assert step is not None
    assert step.move is move
    if move is Move.RUN:
        assert step.pending is not None
        assert step.pending.confirmed
        assert step.pending.slots == CONFIRMING.slots


def test_a_write_is_asked_about_once_its_slots_are_filled_and_a_read_is_not() -> None:
    cancel = PendingAction("cancel_order", {"order_number": "1042"}, asking="email")
    step = plan(ACTIONS, text=SAM, intents=(), pending=cancel, known={}, new_question=False)
    assert step is not None
    assert step.move is Move.CONFIRM
    assert step.pending is not None
    assert step.pending.confirming
    step = plan(ACTIONS, text=SAM, intents=(), pending=ASKING_EMAIL, known={}, new_question=False)
    assert step is not None
    assert step.move is Move.RUN  # looking up an order changes nothing


def test_other_details_given_instead_of_a_yes_are_asked_about_again() -> None:
    step = plan(
        ACTIONS,
        text="oh wait, it's 1043",
        intents=(),
        pending=CONFIRMING,
        known={},
        new_question=False,
    )
    assert step is not None
    assert step.move is Move.CONFIRM
    assert step.pending is not None
    assert step.pending.slots["order_number"] == "1043"
    assert not step.pending.confirmed


def test_no_answer_to_the_confirmation_leaves_everything_as_it_is() -> None:
    asked_twice = PendingAction("cancel_order", dict(CONFIRMING.slots), confirming=True, reasks=2)
    step = plan(ACTIONS, text="hmm", intents=(), pending=asked_twice, known={}, new_question=False)
    assert step is not None
    assert step.move is Move.ABANDON


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
