"""Action files are validated on load; each error names the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.app import create_app
from tandem.bot.actions.spec import ActionFileError, in_language, load_action, load_actions
from tandem.config import Settings
from tandem.demo import ACTIONS_DIR

VALID = """
name: order_status
label: Check an order
patterns: ["where is my order"]
slots:
  order_number: {type: order_number, prompt: "Which order?"}
call: {path: "/orders/{{ order_number }}"}
outcomes: {200: found}
replies:
  found: {reply: "Order {{ number }} is {{ status }}."}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "action.yaml"
    path.write_text(text)
    return path


def test_the_demo_actions_load() -> None:
    names = {action.name for action in load_actions(ACTIONS_DIR)}
    assert names == {
        "order_status",
        "cancel_order",
        "change_address",
        "reset_password",
        "close_account",
    }


def test_a_valid_file_loads(tmp_path: Path) -> None:
    action = load_action(write(tmp_path, VALID))
    assert not action.writes
    assert action.matches("Where is my order?")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            ("label: Check an order", "lable: x"), "lable: Extra inputs", id="unknown-key"
        ),
        pytest.param(
            ("type: order_number", "type: shoe_size"), "slots.order_number.type", id="slot-type"
        ),
        pytest.param(('["where is my order"]', '["where (is"]'), "patterns", id="bad-regex"),
        pytest.param(
            ("{{ status }}.", "{{ status "),
            "replies.found.reply: Value error, template",
            id="template",
        ),
        pytest.param(
            ("{200: found}", "{200: found, 404: missing}"), "no reply", id="outcome-without-reply"
        ),
        pytest.param(
            ('call: {path: "/orders', 'call: {path: "orders'), "call.path", id="relative-path"
        ),
        pytest.param(
            ('patterns: ["where is my order"]', "patterns: []"),
            "intents or patterns",
            id="no-trigger",
        ),
    ],
)
def test_errors_name_the_file_and_the_field(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    path = write(tmp_path, VALID.replace(*change))
    with pytest.raises(ActionFileError) as error:
        load_action(path)
    assert str(path) in error.value.message
    assert expected in error.value.message


def test_a_write_can_never_refuse_a_customer_itself(tmp_path: Path) -> None:
    text = "writes: true\n" + VALID.replace("{200: found}", "{200: found, 409: refused}")
    text += '  refused: {reply: "Sorry, no."}\n'
    with pytest.raises(ActionFileError, match="must set handoff: true"):
        load_action(write(tmp_path, text))


def test_verification_must_use_declared_slots(tmp_path: Path) -> None:
    text = VALID + "verify:\n  slots: [email]\n  call: {method: POST, path: /verify}\n"
    with pytest.raises(ActionFileError, match="verify uses slot 'email'"):
        load_action(write(tmp_path, text))


def test_a_bad_action_file_stops_the_app_from_starting(tmp_path: Path) -> None:
    write(tmp_path, VALID.replace("type: order_number", "type: shoe_size"))
    settings = Settings(environment="test", actions_dir=tmp_path, actions_base_url="http://x")
    with pytest.raises(ActionFileError, match=r"slots\.order_number\.type"):
        create_app(settings)


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ActionFileError, match="does not exist"):
        load_actions(tmp_path / "nowhere")


def test_a_one_time_code_needs_a_way_to_send_it(tmp_path: Path) -> None:
    text = VALID + (
        "verify:\n  slots: [order_number]\n  code_slot: order_number\n"
        "  call: {method: POST, path: /codes/check}\n"
    )
    with pytest.raises(ActionFileError, match="needs both send and code_slot"):
        load_action(write(tmp_path, text))


def test_a_follow_up_template_is_checked(tmp_path: Path) -> None:
    text = VALID + 'follow_ups:\n  - {patterns: ["when"], reply: "{{ eta "}\n'
    with pytest.raises(ActionFileError, match=r"follow_ups\.0\.reply"):
        load_action(write(tmp_path, text))


def test_a_write_asks_for_a_yes_unless_its_file_says_not_to(tmp_path: Path) -> None:
    write_action = VALID + "writes: true\n"
    assert load_action(write(tmp_path, write_action)).needs_confirmation
    assert not load_action(write(tmp_path, write_action + "confirm: false\n")).needs_confirmation
    assert not load_action(write(tmp_path, VALID)).needs_confirmation  # a read changes nothing


@pytest.mark.parametrize(
    ("confirm", "error"),
    [
        pytest.param('"Cancel {{ order_number "', "template error", id="template"),
        pytest.param('"  "', "give the question to ask", id="blank"),
    ],
)
def test_a_confirmation_question_is_checked(tmp_path: Path, confirm: str, error: str) -> None:
    text = VALID + f"writes: true\nconfirm: {confirm}\n"
    with pytest.raises(ActionFileError, match=rf"confirm.*{error}"):
        load_action(write(tmp_path, text))


PER_LANGUAGE = VALID.replace(
    "label: Check an order", "label: {en: Check an order, de: Bestellung prüfen}"
).replace('prompt: "Which order?"', 'prompt: {de: "Welche Bestellung?", en: "Which order?"}')


def test_what_the_customer_reads_can_be_given_per_language(tmp_path: Path) -> None:
    action = load_action(write(tmp_path, PER_LANGUAGE))
    prompt = action.slots["order_number"].prompt
    assert in_language(prompt, "de") == "Welche Bestellung?"
    assert in_language(prompt, "en") == "Which order?"
    assert in_language(prompt, "pl") == "Welche Bestellung?"  # not given: the first one
    assert in_language(prompt, None) == "Welche Bestellung?"
    assert action.label_in("de") == "Bestellung prüfen"
    assert action.label_in(None) == "Check an order"
    # A quick reply with the label starts it, in any language it is given in.
    assert action.matches("Bestellung prüfen")
    assert action.matches("check an order")
    assert not action.matches("Bestellung")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(("de: Bestellung", "xx: Bestellung"), "'xx' is not a supported", id="code"),
        pytest.param(('de: "Welche Bestellung?"', 'de: " "'), "de text is empty", id="empty"),
        pytest.param(
            ('de: "Welche Bestellung?"', 'de: "Welche {{ order "'), "template", id="template"
        ),
        pytest.param(
            ("label: {en: Check an order, de: Bestellung prüfen}", "label: {}"), "label", id="none"
        ),
    ],
)
def test_each_language_of_a_text_is_checked(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    with pytest.raises(ActionFileError, match=expected):
        load_action(write(tmp_path, PER_LANGUAGE.replace(*change)))
