"""Read the emotional state of a customer message: anger, distress, complaint, abuse.

VADER alone misreads customer service: routine problem reports are full of words it scores as
negative ("lost", "broken", "cancel", "no"), and polite fury ("with all due respect, this is
the third time") scores as neutral. So the flags come from Tandem's own cue lexicons, shouting
and emphatic punctuation, verdicts on the service ("the quality is shocking"), nobody answering,
and disclosures of a death, a hardship or frailty; VADER adds a flag only when it stays strongly
negative after the routine problem words are taken out. Mild disappointment ("that's a shame",
or a hedged "a bit annoying") makes a message negative without a flag, and without needing a
person. Grievances that use no negative word ("waiting three weeks and nobody answers") come
from `tandem.nlu.grievance`; quotations ("the reviews said 'awful to assemble'") are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tandem.nlu import lexicons
from tandem.nlu.abuse import find_insults, find_profanity, find_threats
from tandem.nlu.grievance import find_grievances
from tandem.nlu.sentiment import compound
from tandem.nlu.text import NO_TYPOS, PhraseMatch, PhraseSet, drop_quotations, pair_up, tokenize
from tandem.nlu.topics import SensitiveTopic, detect_sensitive_topics

_ANGER = PhraseSet(lexicons.ANGER, not_typos=lexicons.NEAR_MISSES)
_DISTRESS = PhraseSet(lexicons.DISTRESS, not_typos=lexicons.NEAR_MISSES)
_COMPLAINT = PhraseSet(lexicons.COMPLAINT, not_typos=lexicons.NEAR_MISSES)
# Matched exactly: one edit from "shame" lie "same" and "shade".
_DISAPPOINTMENT = PhraseSet(lexicons.DISAPPOINTMENT, min_fuzzy_len=NO_TYPOS)
_NOBODY = PhraseSet(lexicons.NOBODY, min_fuzzy_len=NO_TYPOS)
_NOBODY_RESPONDS = PhraseSet(lexicons.NOBODY_RESPONDS, not_typos=lexicons.NEAR_MISSES)
_NOBODY_OWNS = PhraseSet(lexicons.NOBODY_OWNS, not_typos=lexicons.NEAR_MISSES)
_JUDGED = PhraseSet(lexicons.JUDGED, not_typos=lexicons.NEAR_MISSES)
# Verdicts are matched exactly: two edits from "shocking" lies "shopping".
_VERDICTS = PhraseSet(lexicons.VERDICTS, min_fuzzy_len=NO_TYPOS)
_PLEAS = PhraseSet(lexicons.PLEAS, not_typos=lexicons.NEAR_MISSES)
_STAKES = PhraseSet(lexicons.STAKES, not_typos=lexicons.NEAR_MISSES)
# Disclosing these is itself distress: a death, a hardship or frailty, thoughts of self-harm.
_DISTRESSING_TOPICS = frozenset(
    {SensitiveTopic.BEREAVEMENT, SensitiveTopic.SELF_HARM, SensitiveTopic.VULNERABILITY}
)
_NOBODY_WINDOW = 3  # "nobody has ever bothered to reply"
_JUDGED_WINDOW = 3  # "your customer service has been very poor"
_ANYWHERE = 1_000  # words apart: a plea and its stake anywhere in the message
# Sarcasm is matched exactly: near "defective" and "bravo" lie "detective" and "brave".
_SARCASTIC_PRAISE = PhraseSet(lexicons.SARCASTIC_PRAISE, min_fuzzy_len=NO_TYPOS)
_SARCASM_PROBLEMS = PhraseSet(lexicons.SARCASM_PROBLEMS, min_fuzzy_len=NO_TYPOS)
_ROUTINE_WORDS = re.compile(
    r"\b(?:" + "|".join(sorted(lexicons.ROUTINE_PROBLEM_WORDS)) + r")\b", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_EMPHASIS = re.compile(r"!{3,}|\?{3,}|\?!|!\?")
_POLITE_REQUEST = re.compile(r"\b(?:please|pls|plz|help)\b", re.IGNORECASE)
# Two capitalised words in mid-sentence are a name: "the Bloody Mary mix", "a Hell Raiser tee".
_PROPER_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z']+(?: [A-Z][a-z']+)+")
# Words that soften a feeling into mild disappointment: "a bit annoying", "slightly let down".
_HEDGES = frozenset({"bit", "little", "mildly", "quite", "slightly", "somewhat", "tad"})
# A complaint word before these describes the customer's life, not the service: "an awful week".
_LIFE_SPANS = frozenset(
    {"day", "days", "month", "morning", "news", "night", "time", "week", "weekend", "year"}
)

STRONG_TONE = -0.75  # VADER compound at or below which the tone alone may count
RESIDUAL_TONE = -0.5  # ...provided it stays this negative without routine problem words
MILD_TONE = -0.3  # enough for emphatic punctuation to read as anger
HAPPY_TONE = 0.3  # shouting this positive is enthusiasm, not anger
_SHOUT_MIN_WORDS = 3
_SHOUT_MIN_LETTERS = 8
_SHOUT_SHARE = 0.7

_LOAD_ABUSE = 0.8
_LOAD_ANGER_OR_DISTRESS = 0.55
_LOAD_COMPLAINT_OR_TONE = 0.35
_LOAD_PER_EXTRA_CUE = 0.05
_LOAD_MAX_EXTRA = 0.2
_LOAD_SENTIMENT = 0.1
_LOAD_UNFLAGGED = 0.3  # kept below every flagged level, so a flag always weighs more


@dataclass(frozen=True, slots=True)
class EmotionReading:
    """How a message reads emotionally, with the evidence for each flag."""

    sentiment: float  # VADER compound, -1..1
    anger: bool
    distress: bool
    complaint: bool
    abuse: bool
    cues: tuple[str, ...]  # human-readable evidence, e.g. ("anger: 'ridiculous'", "shouting")
    negative_tone: bool = False  # VADER strongly negative beyond routine problem words
    disappointment: bool = False  # mild ("that's a shame"), never a flag of its own

    @property
    def needs_person(self) -> bool:
        """Return whether the message is negative enough that a person should pick it up."""
        return self.anger or self.distress or self.complaint or self.abuse or self.negative_tone

    @property
    def negative(self) -> bool:
        """Return whether the message reads negative at all, mild disappointment included."""
        return self.needs_person or self.disappointment

    @property
    def load(self) -> float:
        """Return the emotional load, 0..1: abuse highest, then anger or distress, then the rest."""
        negativity = max(0.0, -self.sentiment)
        if not self.needs_person:
            return round(_LOAD_UNFLAGGED * negativity, 3)
        if self.abuse:
            base = _LOAD_ABUSE
        elif self.anger or self.distress:
            base = _LOAD_ANGER_OR_DISTRESS
        else:
            base = _LOAD_COMPLAINT_OR_TONE
        extra = min(_LOAD_MAX_EXTRA, _LOAD_PER_EXTRA_CUE * max(0, len(self.cues) - 1))
        return round(min(1.0, base + extra + _LOAD_SENTIMENT * negativity), 3)


def read_emotion(text: str) -> EmotionReading:
    """Return the emotional reading of one customer message.

    Quotations of two words or more are left out: they report what someone else wrote.
    """
    text = drop_quotations(text)
    tokens = tokenize(text)
    score = compound(text)
    abuse, coarse = _abuse_cues(text, tokens)
    if coarse and _praise_without(coarse, text):
        coarse = []
    anger, hedged_anger = _softened_cues("anger", _ANGER, tokens)
    anger += coarse + _sarcasm_cues(tokens) + _nobody_cues("anger", tokens, _NOBODY_RESPONDS)
    distress = _cues("distress", _outside_anger(_DISTRESS, tokens), tokens)
    distress += _distress_beyond_words(text, tokens)
    complaint, hedged_complaint = _softened_cues("complaint", _COMPLAINT, tokens)
    complaint += _judgement_cues(tokens, insults=abuse) + _nobody_cues(
        "complaint", tokens, _NOBODY_OWNS
    )
    grievances = find_grievances(tokens, happy=score >= HAPPY_TONE)
    complaint += [f"complaint: '{grievance}'" for grievance in grievances]
    if is_shouting(text) and _unhappy_shouting(text):
        anger.append("shouting")
    tone = _negative_tone(text, score)
    disappointment = (
        _lexicon_cues("disappointment", _DISAPPOINTMENT, tokens) + hedged_anger + hedged_complaint
    )
    flagged = bool(abuse or anger or distress or complaint or tone)
    emphasis = _EMPHASIS.search(text)
    if emphasis is not None and (flagged or score <= MILD_TONE):
        # Emphasis alone is as likely glee ("thanks!!!") as anger: it needs a negative context.
        anger.append(f"emphatic '{emphasis.group()}'")
    tone_cue = [f"sentiment {score:.2f}"] if tone else []
    return EmotionReading(
        sentiment=score,
        # An insult or a threat aimed at someone is itself an angry act.
        anger=bool(anger or abuse),
        distress=bool(distress),
        complaint=bool(complaint),
        abuse=bool(abuse),
        cues=tuple(_unique(abuse + anger + distress + complaint + tone_cue + disappointment)),
        negative_tone=tone,
        disappointment=bool(disappointment),
    )


def is_shouting(text: str) -> bool:
    """Return whether text is mostly capitals, over at least three words of two letters or more."""
    words = _WORD.findall(text)
    shouted = [word for word in words if word.isupper()]
    return (
        len(shouted) >= _SHOUT_MIN_WORDS
        and len(shouted) >= _SHOUT_SHARE * len(words)
        and sum(map(len, shouted)) >= _SHOUT_MIN_LETTERS
    )


def _unhappy_shouting(text: str) -> bool:
    # Capitals carry joy too ("THANK YOU SO MUCH"); "please" and "help" are left out of the
    # check because VADER reads them as positive even in "PLEASE HELP ME FIND MY ORDER".
    return compound(_POLITE_REQUEST.sub("", text)) < HAPPY_TONE


def _abuse_cues(text: str, tokens: Sequence[str]) -> tuple[list[str], list[str]]:
    """Return the abuse cues, then the coarse-language cues that only signal anger."""
    abuse: list[str] = []
    coarse: list[str] = []
    for profanity in find_profanity(_PROPER_NAME.sub(" ", text)):
        if _self_exclamation(profanity.written, tokens):
            continue
        if profanity.strong:
            abuse.append(f"abuse: '{profanity.written}'")
        else:
            coarse.append(f"anger: '{profanity.written}'")
    abuse.extend(f"abuse: '{insult}'" for insult in find_insults(tokens))
    abuse.extend(f"threat: '{threat}'" for threat in find_threats(tokens))
    return _unique(abuse), _unique(coarse)


def _praise_without(coarse: Sequence[str], text: str) -> bool:
    # "Damn, that was fast! Thank you": a coarse word in praise is emphasis, not anger. VADER
    # scores the coarse word itself as negative, so the praise is read without it.
    words = [_quoted(cue) for cue in coarse]
    plain = re.sub("|".join(map(re.escape, words)), " ", text, flags=re.IGNORECASE)
    return compound(plain) >= HAPPY_TONE


def _self_exclamation(written: str, tokens: Sequence[str]) -> bool:
    # "damn, I forgot my password": a coarse word opening the message, then the writer's slip.
    return (
        len(tokens) >= 2
        and tokens[0] == written
        and written in lexicons.SELF_EXCLAMATIONS
        and tokens[1] in lexicons.SELF_SUBJECTS
    )


def _nobody_cues(label: str, tokens: Sequence[str], failures: PhraseSet) -> list[str]:
    # "nobody has replied" is a grievance; "leave it next door if nobody answers" is not.
    nobody = [
        match
        for match in _NOBODY.find_all(tokens)
        if match.start == 0 or tokens[match.start - 1] not in lexicons.CONDITIONALS
    ]
    pair = pair_up(nobody, failures.find_all(tokens), window=_NOBODY_WINDOW)
    return [] if pair is None else [f"{label}: '{pair.evidence(tokens)}'"]


def _judgement_cues(tokens: Sequence[str], *, insults: Sequence[str]) -> list[str]:
    # A verdict on what the company does, either side of it: "the quality is shocking",
    # "shocking quality"; "the service was not poor" is no verdict, and neither is a word
    # already read as an insult ("you and your useless company" is abuse).
    insulting = {word for cue in insults for word in _quoted(cue).split()}
    verdicts = [
        match
        for match in _VERDICTS.find_all(tokens)
        if not _negated(tokens, match.start, match.phrase) and not insulting & set(match.phrase)
    ]
    pair = pair_up(_JUDGED.find_all(tokens), verdicts, window=_JUDGED_WINDOW, ordered=False)
    return [] if pair is None else [f"complaint: '{pair.evidence(tokens)}'"]


def _distress_beyond_words(text: str, tokens: Sequence[str]) -> list[str]:
    cues = [
        f"distress: {match.topic.value} '{match.evidence}'"
        for match in detect_sensitive_topics(text)
        if match.topic in _DISTRESSING_TOPICS
    ]
    plea = pair_up(_PLEAS.find_all(tokens), _STAKES.find_all(tokens), window=_ANYWHERE)
    if plea is not None:
        cues.append(f"distress: '{plea.evidence(tokens)}'")
    return cues


def _lexicon_cues(label: str, lexicon: PhraseSet, tokens: Sequence[str]) -> list[str]:
    return _cues(label, _lexicon_matches(lexicon, tokens), tokens)


def _lexicon_matches(lexicon: PhraseSet, tokens: Sequence[str]) -> list[PhraseMatch]:
    return [
        match
        for match in lexicon.find_all(tokens)
        if not _negated(tokens, match.start, match.phrase)
    ]


def _outside_anger(lexicon: PhraseSet, tokens: Sequence[str]) -> list[PhraseMatch]:
    # An angry idiom hides the words inside it: "for crying out loud" is not crying.
    angry = {i for match in _ANGER.find_all(tokens) for i in range(match.start, match.end)}
    return [match for match in _lexicon_matches(lexicon, tokens) if match.start not in angry]


def _cues(label: str, matches: Iterable[PhraseMatch], tokens: Sequence[str]) -> list[str]:
    return _unique(f"{label}: '{match.evidence(tokens)}'" for match in matches)


def _softened_cues(
    label: str, lexicon: PhraseSet, tokens: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Return the cues of lexicon in tokens, then those a hedge softens to disappointment."""
    matches = [
        match
        for match in _lexicon_matches(lexicon, tokens)
        # "an awful week" is about the customer's life, not about the service.
        if tokens[match.end : match.end + 1] == () or tokens[match.end] not in _LIFE_SPANS
    ]
    hedged = [match for match in matches if match.start and tokens[match.start - 1] in _HEDGES]
    firm = [match for match in matches if match not in hedged]
    return _cues(label, firm, tokens), _cues("disappointment", hedged, tokens)


def _sarcasm_cues(tokens: Sequence[str]) -> list[str]:
    # Praise and a failure in one message, with no thanks and no "but", is sarcasm:
    # "Brilliant. Arrived smashed. Well done" (tokens carry no punctuation, so any distance).
    if lexicons.GENUINE_PRAISE & set(tokens):
        return []
    praise = [
        match
        for match in _SARCASTIC_PRAISE.find_all(tokens)
        if not _negated(tokens, match.start, match.phrase)
    ]
    pair = pair_up(praise, _SARCASM_PROBLEMS.find_all(tokens), window=len(tokens), ordered=False)
    return [] if pair is None else [f"sarcasm: '{pair.evidence(tokens)}'"]


def _negated(tokens: Sequence[str], start: int, phrase: tuple[str, ...]) -> bool:
    # "I'm not angry" and "not the worst" are no cues, but "no words. Terrible." is: tokens
    # carry no punctuation, so a negation reaches over one softening word at most. Phrases
    # that carry their own negation ("not happy", "don't know what to do") mean what they say.
    # "Never ... so" is a superlative, not a negation: "I've never been treated so badly".
    if start == 0 or any(word in lexicons.NEGATORS for word in phrase):
        return False
    if tokens[start - 1] in lexicons.NEGATORS:
        negator = tokens[start - 1]
    elif start >= 2 and tokens[start - 1] in lexicons.NEGATION_SOFTENERS:
        negator = tokens[start - 2]
    else:
        return False
    if negator == "never" and lexicons.DEGREE_WORDS & set(phrase):
        return False
    return negator in lexicons.NEGATORS


def _negative_tone(text: str, score: float) -> bool:
    if score > STRONG_TONE:
        return False
    return compound(_ROUTINE_WORDS.sub("", text)) <= RESIDUAL_TONE


def _quoted(cue: str) -> str:
    # The evidence a cue quotes: "abuse: 'useless'" quotes "useless".
    return cue.partition(": ")[2].strip("'")


def _unique(cues: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(cues))
