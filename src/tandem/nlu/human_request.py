"""Detect a customer asking to reach a person rather than the bot.

Seven shapes, tried in order, each returning the words that matched as evidence: a verb of
asking or speaking followed by a person ("let me speak to a real person", "I need someone from
your team"), a short message that is essentially a person ("AGENT!!!", "human please"), a
rejection of the bot ("I don't want a bot"), a request for a call ("can someone call me"), a
question to someone from the company ("can somebody from support check this"), a check that a
person is there ("is anyone actually there?") and a request in another EU language ("parler à
un conseiller"). After a question about the bot's identity ("is this automated?"), wanting a
vague person ("I want someone real") counts too; the question alone does not.
"""

from __future__ import annotations

from collections.abc import Sequence

from tandem.nlu import lexicons, request_lexicons
from tandem.nlu.text import NO_TYPOS, PHRASE_MIN_FUZZY_LEN, PhraseMatch, PhraseSet, tokenize


def _lexicon(patterns: tuple[str, ...], *, min_fuzzy_len: int = PHRASE_MIN_FUZZY_LEN) -> PhraseSet:
    return PhraseSet(patterns, min_fuzzy_len=min_fuzzy_len, not_typos=lexicons.NEAR_MISSES)


_TARGETS = _lexicon(lexicons.HUMAN_TARGETS)
_VAGUE_TARGETS = _lexicon(lexicons.VAGUE_TARGETS)
# Verbs and bot words are short and common: only long ones ("transfer", "chatbot") tolerate
# typos, so "tall person" is never "talk person".
_SPEAK_VERBS = _lexicon(lexicons.SPEAK_VERBS, min_fuzzy_len=6)
_WANT_VERBS = _lexicon(lexicons.WANT_VERBS, min_fuzzy_len=6)
_BOT_REJECTIONS = _lexicon(lexicons.BOT_REJECTIONS, min_fuzzy_len=6)
_BOT_TERMS = _lexicon(lexicons.BOT_TERMS, min_fuzzy_len=6)
_CALLBACKS = _lexicon(lexicons.CALLBACKS, min_fuzzy_len=6)
_COMPANY_UNITS = _lexicon(request_lexicons.COMPANY_UNITS, min_fuzzy_len=6)
_PRESENCE_PERSONS = _lexicon(request_lexicons.PRESENCE_PERSONS, min_fuzzy_len=6)
_PRESENCE = _lexicon(request_lexicons.PRESENCE, min_fuzzy_len=6)
_PRESENCE_QUESTIONS = _lexicon(request_lexicons.PRESENCE_QUESTIONS, min_fuzzy_len=6)
_BOT_QUESTIONS = _lexicon(request_lexicons.BOT_QUESTIONS, min_fuzzy_len=6)
# Short foreign words are past forms one letter off ("parle", "hable"): only long ones bend.
_FOREIGN_REQUESTS = _lexicon(request_lexicons.FOREIGN_REQUESTS, min_fuzzy_len=8)

_MAX_BRIDGE = 4
_MAX_BOT_BRIDGE = 5
_MAX_SHORT_REQUEST = 6
_CALL_MARKER_WINDOW = 3  # "can someone please call me"
_CALL_REPORT_WINDOW = 4  # "the courier said they'd call me"
_FOREIGN_NEGATION_WINDOW = 2  # "je ne veux pas parler", "no quiero hablar"
# After the delivery questions that mention a person: "do I need a person at home to sign?"
_DELIVERY_AFTER_TARGET = frozenset({"at", "home", "present"})
_ERRAND_VERBS = frozenset(
    {
        "accept", "assemble", "be", "build", "collect", "deliver", "fit", "install", "pick",
        "receive", "sign",
    }
)  # fmt: skip
_PRESENCE_NOW = _lexicon(request_lexicons.PRESENCE_NOW, min_fuzzy_len=NO_TYPOS)
# "Is there anyone I can talk to?": the person comes before the verb.
_REVERSE_BRIDGE = frozenset({"can", "could", "i", "may", "might", "that", "to", "we", "who"})
_REVERSE_VERBS = frozenset({"chat", "speak", "talk"})
_SELF_DENIALS = frozenset({"am", "i", "i'm"})  # "I'm not a bot", said about a captcha
_PRESENCE_VERBS = frozenset({"are", "is", "there"})  # quoted with the check: "is there anyone here"
_SPEAKERS = frozenset({"i", "we"})  # "a team I can talk to", not "my team can talk to you"


def detect_human_request(text: str) -> str | None:
    """Return the words by which the customer asks for a person, else None."""
    tokens = tokenize(text)
    for detect in _DETECTORS:
        evidence = detect(tokens)
        if evidence is not None:
            return evidence
    return None


def _verb_request(tokens: Sequence[str]) -> str | None:
    bot_question = _BOT_QUESTIONS.find(tokens)
    for start in range(len(tokens)):
        if _negated(tokens, start):
            continue
        verb = _SPEAK_VERBS.match_at(tokens, start)
        speaking = verb is not None
        verb = verb or _WANT_VERBS.match_at(tokens, start)
        if verb is None:
            continue
        after_bot_question = bot_question is not None and start >= bot_question.end
        target = _target_after(
            tokens, verb.end, speaking=speaking, after_bot_question=after_bot_question
        )
        if target is not None:
            return " ".join(tokens[start : target.end])
        if speaking and verb.phrase[0] in _REVERSE_VERBS:
            person = _target_before(tokens, start)
            if person is not None:
                return " ".join(tokens[person : start + len(verb.phrase)])
    return None


def _target_after(
    tokens: Sequence[str], position: int, *, speaking: bool, after_bot_question: bool
) -> PhraseMatch | None:
    """Return the person after a verb, across bridge words.

    A vague person ("someone") counts after a verb of speaking or "me" ("get me someone"), when
    they are from the company ("need someone from your team"), or after a bot question.
    """
    addressed_me = False
    for index in range(position, min(position + _MAX_BRIDGE + 1, len(tokens))):
        target = _TARGETS.match_at(tokens, index)
        if target is not None:
            return None if _is_compound_or_delivery(tokens, target, speaking=speaking) else target
        vague = _VAGUE_TARGETS.match_at(tokens, index)
        if vague is not None:
            if speaking or addressed_me:
                return vague
            return _wanted_vague(tokens, vague, after_bot_question=after_bot_question)
        if tokens[index] not in lexicons.REQUEST_BRIDGE:
            return None
        addressed_me = addressed_me or tokens[index] == "me"
    return None


def _wanted_vague(
    tokens: Sequence[str], vague: PhraseMatch, *, after_bot_question: bool
) -> PhraseMatch | None:
    """Return a vague person wanted from the company or after a bot question, with the company."""
    company_end = _company_after(tokens, vague.end)
    if company_end is None and not after_bot_question:
        return None
    end = vague.end if company_end is None else company_end
    if _sent_on_errand(tokens, end):
        return None
    return PhraseMatch(vague.start, end, tuple(tokens[vague.start : end]))


def _company_after(tokens: Sequence[str], position: int) -> int | None:
    """Return where "from your team" (a link to the company) ends, if it starts at position."""
    while position < len(tokens) and tokens[position] in request_lexicons.COMPANY_LINK_BRIDGE:
        position += 1
    if position >= len(tokens) or tokens[position] not in request_lexicons.COMPANY_LINKS:
        return None
    unit = _COMPANY_UNITS.match_at(tokens, position + 1)
    return None if unit is None else unit.end


def _is_compound_or_delivery(tokens: Sequence[str], target: PhraseMatch, *, speaking: bool) -> bool:
    if tokens[target.end : target.end + 1] and tokens[target.end] in lexicons.TARGET_COMPOUNDS:
        return True
    return not speaking and _sent_on_errand(tokens, target.end)


def _sent_on_errand(tokens: Sequence[str], end: int) -> bool:
    # Wanting a person somewhere, or to do something, is about delivery, not about talking.
    next_word, word_after = (*tokens[end : end + 2], "", "")[:2]
    return next_word in _DELIVERY_AFTER_TARGET or (
        next_word == "to" and word_after in _ERRAND_VERBS
    )


def _target_before(tokens: Sequence[str], verb_start: int) -> int | None:
    index = verb_start - 1
    while index >= 0 and verb_start - index <= _MAX_BRIDGE and tokens[index] in _REVERSE_BRIDGE:
        index -= 1
    if index < 0 or index == verb_start - 1:
        return None
    word = tokens[index : index + 1]
    if _TARGETS.match_at(word, 0) or _VAGUE_TARGETS.match_at(word, 0):
        return index
    # "your customer care team I can talk to": a team counts when the customer is the speaker.
    bridge = tokens[index + 1 : verb_start]
    if word[0] in lexicons.TEAM_NOUNS and _SPEAKERS & set(bridge):
        return index
    return None


def _short_request(tokens: Sequence[str]) -> str | None:
    if not tokens or len(tokens) > _MAX_SHORT_REQUEST:
        return None
    found = False
    position = 0
    while position < len(tokens):
        target = _TARGETS.match_at(tokens, position)
        if target is not None:
            found = True
            position = target.end
        elif tokens[position] in lexicons.SHORT_REQUEST_FILLERS:
            position += 1
        else:
            return None
    return " ".join(tokens) if found else None


def _bot_rejection(tokens: Sequence[str]) -> str | None:
    for start in range(len(tokens)):
        rejection = _BOT_REJECTIONS.match_at(tokens, start)
        if rejection is None or _denies_being_a_bot(tokens, start, rejection):
            continue
        end = _bot_after(tokens, rejection.end)
        if end is not None:
            return " ".join(tokens[start:end])
    return None


def _denies_being_a_bot(tokens: Sequence[str], start: int, rejection: PhraseMatch) -> bool:
    return rejection.phrase == ("not",) and start > 0 and tokens[start - 1] in _SELF_DENIALS


def _bot_after(tokens: Sequence[str], position: int) -> int | None:
    for index in range(position, min(position + _MAX_BOT_BRIDGE + 1, len(tokens))):
        bot = _BOT_TERMS.match_at(tokens, index)
        if bot is not None:
            return bot.end
        if tokens[index] not in lexicons.BOT_BRIDGE:
            return None
    return None


def _callback_request(tokens: Sequence[str]) -> str | None:
    for call in _CALLBACKS.find_all(tokens):
        before = tokens[max(0, call.start - _CALL_REPORT_WINDOW) : call.start]
        if any(word in lexicons.CALLBACK_REPORTS for word in before):
            continue
        first_marker = next(
            (
                index
                for index in range(max(0, call.start - _CALL_MARKER_WINDOW), call.start)
                if tokens[index] in lexicons.CALLBACK_MARKERS
            ),
            None,
        )
        if first_marker is not None:
            return " ".join(tokens[first_marker : call.end])
        if call.start == 0:
            return call.evidence(tokens)
    return None


def _company_question(tokens: Sequence[str]) -> str | None:
    """Return a question put to someone from the company: "can somebody from support check"."""
    for vague in _VAGUE_TARGETS.find_all(tokens):
        end = _company_after(tokens, vague.end)
        if end is None or _sent_on_errand(tokens, end):
            continue
        head = vague.start - 1
        while head >= 0 and tokens[head] in request_lexicons.COMPANY_QUESTION_FILLERS:
            head -= 1
        if (
            head >= 0
            and tokens[head] in request_lexicons.COMPANY_QUESTION_HEADS
            and not _negated(tokens, head)
        ):
            return " ".join(tokens[head:end])
    return None


def _presence_check(tokens: Sequence[str]) -> str | None:
    """Return a check that a person is there: "is anyone actually there?", "hello? anybody?"."""
    question = _PRESENCE_QUESTIONS.find(tokens)
    if question is not None:
        return question.evidence(tokens)
    for start in range(len(tokens)):
        person = _PRESENCE_PERSONS.match_at(tokens, start)
        if person is None or (
            start > 0 and tokens[start - 1] not in request_lexicons.PRESENCE_OPENERS
        ):
            continue
        opening = start
        while opening > 0 and tokens[opening - 1] in _PRESENCE_VERBS:
            opening -= 1
        presence = _presence_after(tokens, person.end)
        if presence is not None:
            return " ".join(tokens[opening:presence])
        if _bare_presence(tokens, person):
            return " ".join(tokens)
    return None


def _presence_after(tokens: Sequence[str], position: int) -> int | None:
    """Return where "(from your team) (actually) there" ends, unless a schedule follows it."""
    company_end = _company_after(tokens, position)
    position = position if company_end is None else company_end
    while position < len(tokens) and tokens[position] in request_lexicons.PRESENCE_ADVERBS:
        position += 1
    presence = _PRESENCE.match_at(tokens, position)
    if presence is None:
        return None
    next_word, word_after = (*tokens[presence.end : presence.end + 2], "", "")[:2]
    # "Is anyone there on Saturdays?", "is someone available to sign?": opening hours, errands.
    if next_word in request_lexicons.PRESENCE_SCHEDULES or (
        next_word == "to" and word_after in _ERRAND_VERBS
    ):
        return None
    if next_word == "at" and _PRESENCE_NOW.match_at(tokens, presence.end) is None:
        return None
    return presence.end


def _bare_presence(tokens: Sequence[str], person: PhraseMatch) -> bool:
    return (
        person.end == len(tokens)
        and person.phrase[0] in request_lexicons.BARE_PRESENCE_PERSONS
        and all(token in request_lexicons.PRESENCE_OPENERS for token in tokens[: person.start])
    )


def _foreign_request(tokens: Sequence[str]) -> str | None:
    """Return a request in another EU language: "parler à un conseiller", "un humano por favor"."""
    for request in _FOREIGN_REQUESTS.find_all(tokens):
        before = tokens[max(0, request.start - _FOREIGN_NEGATION_WINDOW) : request.start]
        if not request_lexicons.FOREIGN_NEGATORS.intersection(before):
            return request.evidence(tokens)
    return None


def _negated(tokens: Sequence[str], position: int) -> bool:
    # "No need for an agent" negates, "no, I want an agent" does not: a bare "no" must touch
    # the verb, while "don't" or "not" may stand one word off ("don't really want").
    previous = tokens[max(0, position - 2) : position]
    if previous and previous[-1] in lexicons.NEGATORS:
        return True
    return len(previous) == 2 and previous[0] in lexicons.NEGATORS - {"no"}


_DETECTORS = (
    _verb_request,
    _short_request,
    _bot_rejection,
    _callback_request,
    _company_question,
    _presence_check,
    _foreign_request,
)
