"""The turn reader: learned signals over the multilingual encoder, read once per turn."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tandem.escalation.config import LoopRules
from tandem.nlu.encoder import (
    DEFAULT_ENCODER,
    E5_ENCODER,
    KNOWLEDGE_ENCODER,
    SentenceEncoder,
    load_encoder,
)
from tandem.nlu.heads import COMPANION, PARTS, ArtefactError, Heads, Signal, save_heads
from tandem.nlu.reading import Reader, SmallTalk, blend, load_reader


@pytest.fixture(scope="module")
def reader() -> Reader:
    return load_reader()


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        pytest.param(
            "honestly I don't see the point in anything anymore, I just want it all to stop",
            Signal.SELF_HARM,
            id="self-harm-hint",
        ),
        pytest.param("我要人工客服", Signal.HUMAN_REQUEST, id="zh-human"),
        pytest.param("转人工", Signal.HUMAN_REQUEST, id="zh-transfer"),
        pytest.param(
            "Is there someone actually working there I could chat with?",
            Signal.HUMAN_REQUEST,
            id="indirect-request",
        ),
        pytest.param("Can a staff member help me?", Signal.HUMAN_REQUEST, id="staff-member"),
        pytest.param(
            "I need a person: is the 50% discount still on?",
            Signal.HUMAN_REQUEST,
            id="request-before-a-question",  # its clause is read by the heads of parts
        ),
        pytest.param("thanks for nothing", Signal.ANGER, id="sarcasm"),
        pytest.param(
            "Quiero hablar con una persona de verdad, no con una máquina",
            Signal.HUMAN_REQUEST,
            id="es-human",
        ),
        pytest.param(
            "Mon père est décédé la semaine dernière, je dois fermer son compte",
            Signal.BEREAVEMENT,
            id="fr-bereavement",
        ),
        pytest.param(
            "Jemand hat mit meiner Karte drei Bestellungen aufgegeben, die ich nie gemacht habe",
            Signal.FRAUD,
            id="de-fraud",
        ),
        pytest.param(
            "the sofa arrived with a broken leg and I want compensation",
            Signal.ADVERSE_REQUEST,
            id="claim",
        ),
    ],
)
def test_signals_fire_on_what_needs_a_person(reader: Reader, text: str, signal: Signal) -> None:
    reading = reader.read(text)
    found = reading.finding(signal)
    assert found is not None, reading.scores
    assert found.evidence


@pytest.mark.parametrize(
    "text",
    [
        "Do you deliver to Norway?",
        "is the cleaning agent safe for oak?",
        "my phone died so I missed the delivery text",
        "how long do refunds take?",
        "¿Cuánto tarda el envío a España?",
        "Wie lange dauert die Lieferung?",
        # in capitals: read from the words, not as anger
        "I WOULD LIKE TO KNOW HOW MUCH IT COSTS TO SEND A PARCEL TO MY DAUGHTER IN NORWAY.",
        "GUTEN TAG, WIE LANGE IST EIN GESCHENKGUTSCHEIN GÜLTIG? MEINE ENKELIN HAT MIR EINEN.",
        "ICH WOHNE IN KÖLN.",
    ],
)
def test_routine_messages_fire_nothing_that_hands_off(reader: Reader, text: str) -> None:
    reading = reader.read(text)
    assert reading.human_request is None
    assert reading.negative_emotion is None
    assert reading.sensitive_topics == ()


@pytest.mark.parametrize(
    "text",
    ["HOW DO I TURN ON TWO-STEP LOGIN?", "HOE ZET IK TWEESTAPSVERIFICATIE AAN", "JAK USUNAC KONTO"],
)
def test_capitals_alone_do_not_ask_for_a_person(reader: Reader, text: str) -> None:
    assert reader.read(text).human_request is None


@pytest.mark.parametrize(
    "text", ["QUIERO HABLAR CON UNA PERSONA", "ICH WILL MIT EINEM MENSCHEN SPRECHEN, SOFORT"]
)
def test_a_request_for_a_person_in_capitals_is_still_one(reader: Reader, text: str) -> None:
    assert reader.read(text).human_request is not None


@pytest.mark.parametrize(
    "text",
    [
        "THIS IS THE THIRD TIME I ASK. WHERE IS MY REFUND",
        "I AM SO ANGRY, THE SOFA ARRIVED BROKEN",
        "ICH WILL MEIN PAKET. SEIT ZEHN TAGEN WARTE ICH.",
        "QUIERO MI DINERO YA. LLEVO DOS SEMANAS ESPERANDO Y NADIE RESPONDE",
    ],
)
def test_a_problem_reported_in_capitals_is_angry(reader: Reader, text: str) -> None:
    assert reader.read(text).finding(Signal.ANGER) is not None


def test_a_question_asked_again_in_capitals_is_angry(reader: Reader) -> None:
    earlier = ["Wann kommt mein Ersatzteil?", "wann kommt das Ersatzteil"]
    shouted = "WANN KOMMT DAS ERSATZTEIL???"
    reading = reader.read(shouted, earlier=earlier, rephrase_similarity=0.65)
    assert reading.finding(Signal.ANGER) is not None
    assert reader.read(shouted).finding(Signal.ANGER) is None  # asked once, it is a question


def test_a_part_of_one_word_does_not_ask_for_a_person(reader: Reader) -> None:
    text = "Allo! Est-ce que vous livrez à Montréal? Ma sœur adore votre lampe en rotin"
    assert reader.read(text).human_request is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("tell me a joke", SmallTalk.CHITCHAT),
        ("thank you so much", SmallTalk.THANKS),
        ("merci beaucoup", SmallTalk.THANKS),
        ("hello", SmallTalk.GREETING),
        ("are you a bot?", SmallTalk.IDENTITY),
    ],
)
def test_small_talk_is_recognised_with_its_kind(reader: Reader, text: str, kind: SmallTalk) -> None:
    reading = reader.read(text)
    assert reading.small_talk is kind
    assert not reading.needs_answer
    assert reading.findings == ()


@pytest.mark.parametrize(
    "text",
    [
        "found it in my spam folder, all sorted now, thanks a lot",
        "Hat alles geklappt, vielen Dank und schönen Abend noch!",
        "Ok entendido, esperaré al lunes entonces. Gracias",
        "Perfetto, ho fatto il reso, grazie mille per l'aiuto",
    ],
)
def test_a_closing_too_long_for_small_talk_still_needs_no_answer(reader: Reader, text: str) -> None:
    reading = reader.read(text)
    assert reading.closing
    assert not reading.needs_answer


@pytest.mark.parametrize(
    "text",
    [
        "ok and how long does delivery to Austria take",
        "Hallo, ich möchte meine Bestellung stornieren",
        "Danke. Und wie lange dauert die Rückerstattung",
        "thanks but it still doesn't work",
    ],
)
def test_a_request_without_a_question_mark_still_needs_an_answer(reader: Reader, text: str) -> None:
    reading = reader.read(text)
    assert not reading.closing
    assert reading.needs_answer


@pytest.mark.parametrize(
    "text",
    ["Bom dia. Aceitam pagamento por transferência bancária?", "Hi! Do you deliver to Norway?"],
)
def test_a_greeting_before_a_question_is_not_small_talk(reader: Reader, text: str) -> None:
    reading = reader.read(text)
    assert reading.small_talk is None
    assert reading.needs_answer


def test_a_guarantee_phrase_fires_whatever_the_model_says(reader: Reader) -> None:
    reading = reader.read("ok so I want to kill myself")
    found = reading.finding(Signal.SELF_HARM)
    assert found is not None
    assert found.source == "phrase"
    assert found.score == 1.0


def test_evidence_quotes_the_sentence_that_shows_the_signal(reader: Reader) -> None:
    text = (
        "I ordered the oak table last week. It looks lovely in the photos. "
        "Can I please talk to a real person about the delivery?"
    )
    evidence = reader.read(text).evidence(Signal.HUMAN_REQUEST)
    assert evidence is not None
    assert "real person" in evidence
    assert "photos" not in evidence


def test_a_rephrased_question_repeats_the_earlier_one_in_any_language(reader: Reader) -> None:
    earlier = ["how long does delivery to Germany take?", "what colours does the sofa come in?"]
    reading = reader.read(
        "how many days does delivery to Germany take?", earlier=earlier, rephrase_similarity=0.8
    )
    assert reading.repeats == earlier[0]
    unrelated = reader.read("do you sell gift cards?", earlier=earlier, rephrase_similarity=0.8)
    assert unrelated.repeats is None


@pytest.mark.parametrize(
    ("earlier", "again"),
    [
        ("我的订单PP-5518230什么时候到？", "第三次问了：PP-5518230到底哪天到？"),
        ("where is my refund?", "is there a reason my refund has not arrived yet?"),
    ],
)
def test_the_policy_default_reads_a_question_asked_in_other_words_as_a_repeat(
    reader: Reader, earlier: str, again: str
) -> None:
    similarity = LoopRules().rephrase_similarity
    assert reader.read(again, earlier=[earlier], rephrase_similarity=similarity).repeats == earlier
    for follow_up in ("and to Austria?", "can I pay with PayPal?"):
        reading = reader.read(
            follow_up, earlier=["do you deliver to Germany?"], rephrase_similarity=similarity
        )
        assert reading.repeats is None


def test_load_is_higher_for_anger_than_for_a_calm_question(reader: Reader) -> None:
    angry = reader.read("THIS IS RIDICULOUS, three weeks and still no sofa, you are useless")
    calm = reader.read("when will my sofa arrive?")
    assert angry.load > calm.load
    assert angry.sentiment < calm.sentiment


def test_scores_are_probabilities_for_every_signal(reader: Reader) -> None:
    reading = reader.read("where is my order 1042?")
    assert set(reading.scores) == set(reader.heads.labels)
    assert all(0.0 <= score <= 1.0 for score in reading.scores.values())


def _constant_heads(encoder: SentenceEncoder, scores: dict[Signal, float]) -> Heads:
    """Heads that give every text the same probabilities (0.01 for signals not named)."""
    labels = tuple(s for s in Signal if s is not Signal.NEGATIVE)
    dim, width = encoder.encode(["x"]).shape[1], len(labels)
    probabilities = np.array([scores.get(s, 0.01) for s in labels], dtype=np.float32)
    return Heads(
        labels=labels,
        encoder=encoder.name,
        hidden=np.zeros((dim, 1), dtype=np.float32),
        hidden_bias=np.zeros(1, dtype=np.float32),
        out=np.zeros((1, width), dtype=np.float32),
        out_bias=np.log(probabilities / (1 - probabilities)),
        direct=np.zeros((dim, width), dtype=np.float32),
        platt=np.array([np.ones(width), np.zeros(width)], dtype=np.float32),
        thresholds=np.full(width, 0.5, dtype=np.float32),
    )


def test_the_parts_of_a_message_are_read_by_the_part_heads(reader: Reader) -> None:
    whole = _constant_heads(reader.encoder, {})
    parts = _constant_heads(reader.encoder, {Signal.HUMAN_REQUEST: 0.99})
    split = Reader(reader.encoder, whole, {SmallTalk.GREETING: ["hello"]}, part_heads=parts)

    assert split.read("where is my parcel").human_request is None  # one sentence: no parts
    found = split.read("where is my parcel. it has been a week").finding(Signal.HUMAN_REQUEST)
    assert found is not None
    assert found.evidence in ("“where is my parcel.”", "“it has been a week”")


def test_part_heads_must_read_the_same_signals(reader: Reader) -> None:
    whole = _constant_heads(reader.encoder, {})
    other = replace(whole, labels=tuple(reversed(whole.labels)))
    with pytest.raises(ArtefactError, match="other signals"):
        Reader(reader.encoder, whole, {SmallTalk.GREETING: ["hello"]}, part_heads=other)


def test_the_shipped_reader_reads_parts_with_their_own_heads(reader: Reader) -> None:
    assert reader.part_heads is not reader.heads
    assert reader.part_heads.metadata["routine_parts"] > 0
    assert reader.heads.metadata["routine_parts"] == 0


def test_the_shipped_reader_reads_whole_messages_and_parts_through_use(reader: Reader) -> None:
    assert reader.message_encoder is reader.encoder
    assert reader.heads.encoder == reader.part_heads.encoder == DEFAULT_ENCODER


def test_message_heads_read_the_whole_message_through_their_own_encoder(reader: Reader) -> None:
    pair = load_encoder(KNOWLEDGE_ENCODER)
    whole = _constant_heads(pair, {Signal.HUMAN_REQUEST: 0.99})
    parts = _constant_heads(reader.encoder, {})
    split = Reader(
        reader.encoder, whole, {SmallTalk.GREETING: ["hello"]}, parts, message_encoder=pair
    )
    assert split.read("where is my parcel. it has been a week").human_request is not None


def test_part_heads_of_another_encoder_than_the_configured_one_ask_for_retraining(
    reader: Reader, tmp_path: Path
) -> None:
    save_heads(_constant_heads(load_encoder(KNOWLEDGE_ENCODER), {}), tmp_path)
    save_heads(_constant_heads(load_encoder(KNOWLEDGE_ENCODER), {}), tmp_path / PARTS)
    with pytest.raises(ArtefactError, match="train-signals"):
        load_reader(DEFAULT_ENCODER, tmp_path)


def test_the_shipped_reader_blends_message_heads_read_through_e5(reader: Reader) -> None:
    assert reader.companion is not None
    heads, encoder = reader.companion
    assert heads.encoder == encoder.name == E5_ENCODER
    assert heads.labels == reader.heads.labels


def _blended(first: float, second: float) -> float:
    encoder = load_encoder(DEFAULT_ENCODER)
    a = _constant_heads(encoder, {Signal.ANGER: first})
    b = replace(_constant_heads(encoder, {Signal.ANGER: second}), thresholds=np.full(15, 0.2))
    column = a.labels.index(Signal.ANGER)
    blended = blend(a.probabilities(np.zeros((1, 512))), a, b.probabilities(np.zeros((1, 512))), b)
    return float(blended[0, column])


def test_two_sets_of_heads_fire_together_when_both_lean_past_their_thresholds() -> None:
    # first fires at 0.5, second at 0.2: each well past its own threshold, so the blend is too
    assert _blended(0.9, 0.6) > 0.5
    assert _blended(0.5, 0.2) == pytest.approx(0.5, abs=1e-4)  # both exactly at their thresholds


def test_one_set_confidently_wrong_is_tempered_by_the_other() -> None:
    # "Ik werk daar vlakbij." (I work close by): one set is sure it is anger, the other
    # reads nothing; the blend stays under the first set's threshold.
    assert _blended(0.9, 0.01) < 0.5
    assert _blended(0.01, 0.9) < 0.5


def test_companion_heads_must_read_the_same_signals(reader: Reader) -> None:
    whole = _constant_heads(reader.encoder, {})
    other = replace(whole, labels=tuple(reversed(whole.labels)))
    with pytest.raises(ArtefactError, match="companion"):
        Reader(
            reader.encoder,
            whole,
            {SmallTalk.GREETING: ["hello"]},
            companion=(other, reader.encoder),
        )


def test_a_heads_folder_with_a_companion_is_read_with_it(tmp_path: Path) -> None:
    use, e5 = load_encoder(DEFAULT_ENCODER), load_encoder(E5_ENCODER)
    save_heads(_constant_heads(use, {}), tmp_path)
    save_heads(_constant_heads(e5, {Signal.HUMAN_REQUEST: 0.99}), tmp_path / COMPANION)
    loaded = load_reader(DEFAULT_ENCODER, tmp_path)
    assert loaded.companion is not None
    # 0.01 against 0.5 and 0.99 against 0.5 balance out exactly at the threshold
    assert loaded.read("where is my parcel").scores[Signal.HUMAN_REQUEST] == pytest.approx(
        0.5, abs=1e-3
    )


def test_the_companion_never_hides_a_sensitive_topic_or_a_request_for_a_person(
    reader: Reader,
) -> None:
    first = _constant_heads(
        reader.encoder,
        {Signal.BEREAVEMENT: 0.9, Signal.HUMAN_REQUEST: 0.9, Signal.ANGER: 0.9},
    )
    blind = _constant_heads(reader.encoder, {})  # reads nothing at all
    both = Reader(
        reader.encoder, first, {SmallTalk.GREETING: ["hello"]}, companion=(blind, reader.encoder)
    )
    reading = both.read("I'm sorting out my late mother's affairs")
    assert reading.finding(Signal.BEREAVEMENT) is not None
    assert reading.finding(Signal.HUMAN_REQUEST) is not None
    assert reading.finding(Signal.ANGER) is None  # tempered: 0.9 against 0.01
