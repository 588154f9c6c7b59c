"""One reading of a customer's turn: every signal the escalation policy uses, read once.

``Reader.read`` turns a message (with the customer's earlier messages) into a ``Reading``: the
language, a calibrated score for every signal, the signals that fired with the evidence an
agent sees, the kind of small talk, the earlier message it repeats, and the emotional load.
Learned heads over the sentence encoder do the reading: one set reads the whole message,
another, trained on the parts of messages too, reads its sentences and clauses. A short list
of phrases per language (``guarantees``) makes an explicit request for a person or a crisis
fire whatever the scores.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from numpy.typing import NDArray

from tandem.nlu.emotion_gate import UNGATED, EmotionGate, features_of, load_gate
from tandem.nlu.encoder import DEFAULT_ENCODER, SentenceEncoder, load_encoder
from tandem.nlu.guarantees import Guarantee, find_guarantees
from tandem.nlu.heads import (
    COMPANION,
    EMAIL,
    EMOTIONS,
    PARTS,
    SENSITIVE,
    SHIPPED,
    ArtefactError,
    Heads,
    Signal,
    load_heads,
    prepare,
)
from tandem.nlu.language import UNDETERMINED, Language, identify
from tandem.nlu.normalize import unshout
from tandem.nlu.segments import MIN_CLAUSE_WORDS, segments, word_count

SMALL_TALK_DATA = Path(__file__).parent / "data" / "small_talk.yaml"
_BURIED = frozenset({Signal.HUMAN_REQUEST, Signal.SELF_HARM})
_QUESTION = re.compile(r"[?？¿]")
_EVIDENCE_CHARS = 140
# Seven digits or more, with spaces, dots or dashes between: a phone number, not an order.
_PHONE = re.compile(r"(?<![\w#])(?:\+\d{1,3}[\s.-]?)?\(?\d[\d\s().-]{5,}\d\b")
_MIN_REPEAT_WORDS = 3  # "thanks" twice is politeness, not a loop
_MIN_QUESTION_WORDS = 3
_SMALL_TALK_MAX_WORDS = 8
SMALL_TALK_EXAMPLE = 0.85  # this close to an example of small talk is small talk
# Emotional load (0..1) of a turn: a fired signal sets a floor, the negative-feeling head adds
# a little below every floor, so any fired signal weighs more than tone alone.
_LOAD_FLOORS = {
    Signal.ABUSE: 0.8,
    Signal.SELF_HARM: 0.8,
    Signal.ANGER: 0.55,
    Signal.DISTRESS: 0.55,
    Signal.BEREAVEMENT: 0.5,
    Signal.COMPLAINT: 0.35,
}
_LOAD_TONE_MAX = 0.3
# A message in capitals is angry when its words, read in sentence case, come this close to
# firing one of these (see ``Reader._read_words``).
_CAPITALS_LEAN = 0.6
_PROBLEMS = (
    Signal.ANGER,
    Signal.DISTRESS,
    Signal.COMPLAINT,
    Signal.ORDER_PROBLEM,
    Signal.ADVERSE_REQUEST,
    Signal.NOT_HELPED,
)


class SmallTalk(StrEnum):
    GREETING = "greeting"
    THANKS = "thanks"
    GOODBYE = "goodbye"
    ACKNOWLEDGEMENT = "acknowledgement"
    IDENTITY = "identity"  # "are you a bot?": the assistant says what it is
    CHITCHAT = "chitchat"  # "tell me a joke"


@dataclass(frozen=True, slots=True)
class Finding:
    """A signal that fired: its calibrated score and what in the message shows it."""

    signal: Signal
    score: float
    evidence: str
    source: Literal["model", "phrase"] = "model"


@dataclass(frozen=True)
class Reading:
    text: str
    language: Language
    scores: Mapping[Signal, float]
    findings: tuple[Finding, ...] = ()
    small_talk: SmallTalk | None = None
    repeats: str | None = None  # an earlier customer message this one says again
    load: float = 0.0
    # How likely the feeling read needs a person (the emotion gate); None: no gate, or no feeling
    feeling_needs_person: float | None = None
    feeling_passes: bool = True  # the gate lets the feeling hand off (always without a gate)
    # The small-talk heads read the message as talk ("found it in my spam folder, all sorted
    # now, thanks a lot"), and nothing else fired, though it is too long or mixed for a
    # small-talk reply.
    closing: bool = False

    def finding(self, signal: Signal) -> Finding | None:
        return next((f for f in self.findings if f.signal is signal), None)

    def evidence(self, signal: Signal) -> str | None:
        found = self.finding(signal)
        return found.evidence if found else None

    @property
    def human_request(self) -> str | None:
        return self.evidence(Signal.HUMAN_REQUEST)

    @property
    def feelings(self) -> str | None:
        """Return every emotion read, with its evidence, or None (agents see them all)."""
        cues = [f"{f.signal.value}: {f.evidence}" for f in self.findings if f.signal in EMOTIONS]
        return "; ".join(cues) or None

    @property
    def negative_emotion(self) -> str | None:
        """Return the emotions that need a person, with their evidence, or None."""
        return self.feelings if self.feeling_passes else None

    @property
    def sensitive_topics(self) -> tuple[tuple[str, str], ...]:
        return tuple((f.signal.value, f.evidence) for f in self.findings if f.signal in SENSITIVE)

    @property
    def abusive(self) -> bool:
        return self.finding(Signal.ABUSE) is not None

    @property
    def negative(self) -> bool:
        return self.negative_emotion is not None

    @property
    def sentiment(self) -> float:
        """Return -1 (negative) .. 1 (not negative), from the negative-feeling head."""
        return round(1.0 - 2.0 * self.scores.get(Signal.NEGATIVE, 0.0), 3)

    @property
    def needs_answer(self) -> bool:
        """Tell whether the message asks or reports something the bot should answer.

        Small talk, one- or two-word replies ("ok", "a Visa") and a closing that asks nothing
        ("there was a space at the end, works now, thanks") need no answer, so a bot that has
        none for them has not failed.
        """
        if self.small_talk is not None:
            return False
        wanted = (Signal.ORDER_PROBLEM, Signal.ADVERSE_REQUEST, Signal.NOT_HELPED)
        return (
            bool(_QUESTION.search(self.text))
            or any(self.finding(s) for s in wanted)
            or (not self.closing and word_count(self.text) >= _MIN_QUESTION_WORDS)
        )


def _logit(p: NDArray[np.float32]) -> NDArray[np.float64]:
    clipped = np.clip(p.astype(np.float64), 1e-6, 1 - 1e-6)
    return np.log(clipped / (1 - clipped))


def blend(
    first: NDArray[np.float32], first_heads: Heads, second: NDArray[np.float32], second_heads: Heads
) -> NDArray[np.float32]:
    """Return one score per signal from two sets of heads, on the first set's scale.

    Each set's score is taken as its distance from where that set fires (in log-odds); the
    blend is the mean of the two distances, placed back around the first set's thresholds.
    So a signal fires when the two sets together lean past their own thresholds: one set's
    confident error on a message it reads badly is tempered by the other's reading.
    """
    t1, t2 = _logit(first_heads.thresholds), _logit(second_heads.thresholds)
    margin = (_logit(first) - t1 + _logit(second) - t2) / 2
    return np.asarray(1.0 / (1.0 + np.exp(-(margin + t1))), dtype=np.float32)


def _combine(whole: float, part: float, *, buried: bool) -> float:
    """Return a signal's score from the whole message's and its strongest part's."""
    return float(part if buried else max(whole, (whole + part) / 2))


def _quote(text: str) -> str:
    """Quote text for agents, with e-mail addresses and phone numbers left out."""
    text = _PHONE.sub("[phone]", EMAIL.sub("[e-mail]", " ".join(text.split())))
    if len(text) > _EVIDENCE_CHARS:
        text = text[: _EVIDENCE_CHARS - 1].rstrip() + "…"
    return f"“{text}”"


class Reader:
    """Reads turns with one encoder and one set of heads (loaded once, then pure)."""

    def __init__(
        self,
        encoder: SentenceEncoder,
        heads: Heads,
        small_talk: Mapping[SmallTalk, Sequence[str]],
        part_heads: Heads | None = None,
        message_encoder: SentenceEncoder | None = None,
        companion: tuple[Heads, SentenceEncoder] | None = None,
        emotion_gate: EmotionGate | None = None,
    ) -> None:
        self.encoder = encoder
        # The message heads may read the whole message through a richer encoder than the one
        # that reads its parts (one encode per turn, not one per clause).
        self.message_encoder = message_encoder or encoder
        self.heads = heads
        self.part_heads = part_heads or heads
        if self.part_heads.labels != heads.labels:
            raise ArtefactError("the part heads read other signals than the message heads")
        if companion is not None and companion[0].labels != heads.labels:
            raise ArtefactError("the companion heads read other signals than the message heads")
        # A second set of message heads over another encoder: where two encoders trained on
        # different text read a message alike, the reading is surer than either alone.
        self.companion = companion
        self.emotion_gate = emotion_gate
        kept = {Signal.HUMAN_REQUEST, *SENSITIVE}
        self._kept = np.array([i for i, s in enumerate(heads.labels) if s in kept])
        self._buried = np.array([i for i, s in enumerate(heads.labels) if s in _BURIED])
        kinds = [(kind, example) for kind, examples in small_talk.items() for example in examples]
        self._talk_kinds = [kind for kind, _e in kinds]
        self._talk_vectors = encoder.encode([example for _k, example in kinds])

    def read(
        self, text: str, *, earlier: Sequence[str] = (), rephrase_similarity: float = 0.8
    ) -> Reading:
        """Return the reading of ``text``; ``earlier`` are the customer's previous messages."""
        # The whole message is read, and its parts too: "it's been 3 weeks and still no refund,
        # get me a person" asks for a person in its last clause, which the whole drowns out.
        # A part counts in full for the signals a buried clause must never hide; for the others
        # it counts half, since a part read out of its context says less than the whole. A part
        # of a word or two ("Allo!", the surname under a letter) says too little to count in
        # full for any signal.
        # Parts are read by the part heads. Both sets give calibrated probabilities and fire at
        # the message heads' thresholds (the part heads' own were also chosen on whole
        # messages; for a request for a person and self-harm they differ by 0.01 and 0.02).
        pieces = segments(text)
        vectors = self.encoder.encode([prepare(piece) for piece in pieces])
        whole = (
            vectors[:1]
            if self.message_encoder is self.encoder
            else self.message_encoder.encode([prepare(text)])
        )
        message = self.heads.probabilities(whole)
        if self.companion is not None:
            heads, encoder = self.companion
            second = heads.probabilities(encoder.encode([prepare(text)]))
            blended = blend(message, self.heads, second, heads)
            # The companion tempers every signal but those whose miss leaves a customer
            # trapped: a request for a person and the sensitive topics the first set reads stay
            # read ("I need a person about the walnut shelf brackets", "I'm sorting out my late
            # mother's affairs", where E5 reads neither).
            blended[:, self._kept] = np.maximum(blended[:, self._kept], message[:, self._kept])
            message = blended
        probs = np.vstack([message, self.part_heads.probabilities(vectors[1:])])
        short = np.array([False] + [word_count(p) < MIN_CLAUSE_WORDS for p in pieces[1:]])
        cells = np.ix_(short, self._buried)
        probs[cells] = (probs[cells] + probs[0, self._buried]) / 2
        best = probs.argmax(axis=0)
        scores = {
            s: round(_combine(probs[0, i], probs[best[i], i], buried=s in _BURIED), 4)
            for i, s in enumerate(self.heads.labels)
        }
        findings: dict[Signal, Finding] = {
            s: Finding(s, scores[s], _quote(pieces[best[i]]))
            for i, s in enumerate(self.heads.labels)
            if s is not Signal.NEGATIVE and scores[s] >= self.heads.threshold(s)
        }
        shouted = unshout(text)
        if shouted != text and findings:
            calm = self.read(shouted, earlier=earlier, rephrase_similarity=rephrase_similarity)
            self._read_words(findings, scores, calm)
        for match in find_guarantees(text):
            signal = (
                Signal.HUMAN_REQUEST
                if match.guarantee is Guarantee.HUMAN_REQUEST
                else Signal.SELF_HARM
            )
            findings[signal] = Finding(signal, 1.0, f"said “{match.phrase}”", "phrase")
        talk = self._small_talk(vectors, probs, text, findings)
        # carried by ``small_talk``, with its kind, or by ``closing``
        talked = findings.pop(Signal.SMALL_TALK, None) is not None
        gated = self._gate(text, scores, findings)
        return Reading(
            text=text,
            language=identify(text),
            scores=scores,
            findings=tuple(findings.values()),
            small_talk=talk,
            repeats=self._repeats(vectors[0], text, earlier, rephrase_similarity),
            load=self._load(scores, findings),
            feeling_needs_person=gated,
            feeling_passes=gated is None or gated >= self._gate_threshold,
            closing=talked and not findings,
        )

    @property
    def _gate_threshold(self) -> float:
        return self.emotion_gate.threshold if self.emotion_gate else 0.0

    def _gate(
        self, text: str, scores: Mapping[Signal, float], findings: Mapping[Signal, Finding]
    ) -> float | None:
        """Return how likely the feelings found need a person (None: none found, or no gate)."""
        row = self.gate_features(text, scores, findings.values())
        if self.emotion_gate is None or row is None:
            return None
        return round(self.emotion_gate.probability(row), 4)

    def gate_features(
        self, text: str, scores: Mapping[Signal, float], findings: Iterable[Finding]
    ) -> list[float] | None:
        """Return what the emotion gate reads of a message, or None when it has nothing to judge.

        Nothing to judge: no feeling was found, or one the gate never holds back (distress).
        """
        felt = [f for f in findings if f.signal in EMOTIONS]
        if not felt or any(f.signal in UNGATED for f in felt):
            return None
        whole = _quote(text)
        return features_of(
            text,
            scores,
            self.heads.threshold,
            whole_message=any(f.evidence == whole for f in felt),
        )

    def _read_words(
        self, findings: dict[Signal, Finding], scores: dict[Signal, float], calm: Reading
    ) -> None:
        """Keep of a message in capitals only what its words say, read in sentence case.

        The encoder takes any message in capitals for anger, often for a demand for a person
        ("JAK USUNAC KONTO", how to delete the account; "I WOULD LIKE TO KNOW HOW MUCH IT
        COSTS TO SEND A PARCEL"). What is asked or reported comes from the words. The
        capitals add anger only where the words lean towards a problem (read calmly, some
        problem signal scores at least ``_CAPITALS_LEAN`` of what fires it: "JE VEUX MON
        COLIS. ÇA FAIT DIX JOURS.") or say an earlier message again ("WANN KOMMT DAS
        ERSATZTEIL???" after asking it twice).
        """
        worded = {f.signal for f in calm.findings if f.source == "model"}
        leaning = any(calm.scores[s] >= _CAPITALS_LEAN * self.heads.threshold(s) for s in _PROBLEMS)
        angry = leaning or calm.repeats is not None
        for signal in list(findings):
            if signal in worded or (signal is Signal.ANGER and angry):
                continue
            del findings[signal]
            scores[signal] = calm.scores[signal]

    def _small_talk(
        self,
        vectors: NDArray[np.float32],
        probs: NDArray[np.float32],
        text: str,
        findings: Mapping[Signal, Finding],
    ) -> SmallTalk | None:
        """Return the kind of small talk: the head recognised it, or it is one of the examples.

        A message with any other signal, or a long one, is not small talk; nor is one with a
        part that is not ("Bom dia. Aceitam transferência?" greets, then asks).
        """
        others = set(findings) - {Signal.SMALL_TALK}
        if others or word_count(text) > _SMALL_TALK_MAX_WORDS:
            return None
        similarities = vectors @ self._talk_vectors.T  # one row per piece of the message
        column = self.heads.labels.index(Signal.SMALL_TALK)
        close = similarities.max(axis=1) >= SMALL_TALK_EXAMPLE
        close |= probs[:, column] >= self.heads.threshold(Signal.SMALL_TALK)
        whole = Signal.SMALL_TALK in findings or bool(close[0])
        if not whole or not close[1:].all():
            return None
        return self._talk_kinds[int(np.argmax(similarities[0]))]

    def _repeats(
        self,
        vector: NDArray[np.float32],
        text: str,
        earlier: Sequence[str],
        threshold: float,
    ) -> str | None:
        candidates = [e for e in earlier if word_count(e) >= _MIN_REPEAT_WORDS]
        if word_count(text) < _MIN_REPEAT_WORDS or not candidates:
            return None
        similarities = self.encoder.encode([prepare(c) for c in candidates]) @ vector
        best = int(np.argmax(similarities))
        return candidates[best] if similarities[best] >= threshold else None

    @staticmethod
    def _load(scores: Mapping[Signal, float], findings: Mapping[Signal, Finding]) -> float:
        floors = [floor for signal, floor in _LOAD_FLOORS.items() if signal in findings]
        tone = _LOAD_TONE_MAX * max(0.0, 2.0 * scores.get(Signal.NEGATIVE, 0.0) - 1.0)
        if not floors:
            return round(tone, 3)
        return round(min(1.0, max(floors) + 0.2 * max(scores[s] for s in findings)), 3)


def small_talk_examples(path: Path = SMALL_TALK_DATA) -> dict[SmallTalk, list[str]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {SmallTalk(kind): [str(e) for e in examples] for kind, examples in raw.items()}


@cache
def load_reader(
    encoder: str = DEFAULT_ENCODER, heads: Path = SHIPPED, *, gate: bool = True
) -> Reader:
    """Return the reader for an encoder and a heads folder (loaded once per process).

    The folder's ``parts/`` holds the heads that read a message's parts through ``encoder``;
    without one, the message heads read them too. The message heads read the whole message
    through the encoder they were trained on (``train-signals --message-encoder``; the shipped
    ones: ``encoder`` itself). A ``companion/`` folder holds message heads over a second
    encoder, blended with the first (see ``blend``). The folder's emotion gate (see
    ``tandem.nlu.emotion_gate``) decides which feelings hand off; ``gate=False`` reads without
    it (to train a new one).
    """
    loaded = load_heads(heads)
    parts = load_heads(heads / PARTS) if (heads / PARTS).is_dir() else None
    model = load_encoder(encoder)
    reads_parts = parts or loaded
    if reads_parts.encoder != model.name:
        raise ArtefactError(
            f"the heads in {heads} read through {reads_parts.encoder!r}, not {model.name!r}; "
            "retrain them with `tandem nlu train-signals --encoder ...`"
        )
    whole = model if loaded.encoder == model.name else load_encoder(loaded.encoder)
    companion = None
    if (heads / COMPANION).is_dir():
        second = load_heads(heads / COMPANION)
        companion = (second, load_encoder(second.encoder))
    return Reader(
        model,
        loaded,
        small_talk_examples(),
        parts,
        message_encoder=whole,
        companion=companion,
        emotion_gate=load_gate(heads) if gate else None,
    )


__all__ = [
    "SMALL_TALK_EXAMPLE",
    "UNDETERMINED",
    "Finding",
    "Reader",
    "Reading",
    "SmallTalk",
    "load_reader",
    "small_talk_examples",
]
