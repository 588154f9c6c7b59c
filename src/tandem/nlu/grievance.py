"""Find grievances that name no verdict: long waits, no reply, broken promises, being passed on.

"I've been waiting three weeks and nobody answers" complains as clearly as "terrible service"
without a single negative word, so these cues read the situation a customer describes rather
than their vocabulary. Each is a phrase, or two phrases close together ("promised a refund
twice and it still hasn't happened"), and none is negated: the phrases carry their own "no".
"""

from __future__ import annotations

from collections.abc import Sequence

from tandem.nlu.text import NO_TYPOS, PhraseSet, find_near

# Grievances stated in one phrase.
_STATED = (
    # No reply: "had no reply", "still no response", "you never answer".
    "had|got|received|heard|getting|receiving no|zero reply|replies|response|responses|answer"
    "|answers|acknowledgement",
    "had|got|received not_a|not_one single reply|response|answer",
    "still no reply|response|answer|resolution|refund|callback|call_back|word",
    "despite promising|being_promised|being_told|assurances|promises",
    "never heard|got back",
    "you|they|you_guys|you_lot|you_people never reply|replied|respond|responded|answer|answered"
    "|call|called|ring|rang|bother|get_back|got_back",
    # Being passed around or made to chase.
    "passed|bounced|pushed|shunted around|between|from_department",
    "from pillar to post",
    "have|having|had|keep|kept to chase|chasing",
    "keep|kept chasing",
    "chasing you|your",
    # How the customer was treated.
    "how you treat|treat_your customers|people",
    "how customers|loyal_customers|i'm|i_am|i_was|we're|we_are|we_were|you_treat_people"
    " are|is|get|gets treated",
    "how i'm|i_am|we're|we_are|i_was|we_were treated",
    # The product not being what was sold.
    "misleading|misdescribed|misrepresented",
    "not as described|advertised",
    "false advertising",
    "cheap|cheaply|shoddily made|quality",
    "so called",
    "is|are|was|were|been really|very|so|extremely|incredibly|pretty|just poor|shoddy|substandard",
    "gone|went|going|gotten completely|really|badly|rapidly|right|seriously downhill",
)
_WAITED = ("waiting|waited|wait",)
# Long enough to be a grievance without a complaint word; days are left out ("waiting a
# couple of days for the parcel, can you check?" is usually a polite question).
_LONG_TIME = (
    "week|weeks|fortnight|month|months|ages|forever|eternity",
    "over|nearly|almost|more_than a week|month",
)
_WAIT_WINDOW = 4  # "waiting over a month", "waited for three whole weeks"
_PROMISED = (
    "promised|promising|promise|promises|assured|guaranteed",
    "was|were|been told",
)
_BROKEN = ("still|never|nothing|yet|twice|again|despite",)
_PROMISE_WINDOW = 10  # "told the replacement would ship on Friday, it's now Wednesday and still"
_TOOK = "took|taken|came|arrived"
_FAST_DELIVERY = (
    f"next day|working_day delivery|shipping {_TOOK}",
    f"express|priority|guaranteed|same_day delivery|shipping {_TOOK}",
    f"24|48 hour|hours delivery|shipping {_TOOK}",
)
_TOOK_LONG = ("days|weeks|months",)
_TOOK_WINDOW = 3  # "next-day delivery took nine days", "express delivery took over two weeks"

# Exact: everyday words sit one edit from these ("case"/"chase", "hear"/"heard", "praised").
_STATED_SET = PhraseSet(_STATED, min_fuzzy_len=NO_TYPOS)
# Short, common words: matched exactly ("wait" is one edit from "want" and "what").
_WAITED_SET = PhraseSet(_WAITED, min_fuzzy_len=NO_TYPOS)
_LONG_TIME_SET = PhraseSet(_LONG_TIME, min_fuzzy_len=NO_TYPOS)
_PROMISED_SET = PhraseSet(_PROMISED, min_fuzzy_len=NO_TYPOS)
_BROKEN_SET = PhraseSet(_BROKEN, min_fuzzy_len=NO_TYPOS)
# Exact: "take" is one edit from "taken" ("does express delivery take 2 days?").
_FAST_DELIVERY_SET = PhraseSet(_FAST_DELIVERY, min_fuzzy_len=NO_TYPOS)
_TOOK_LONG_SET = PhraseSet(_TOOK_LONG, min_fuzzy_len=NO_TYPOS)


def find_grievances(tokens: Sequence[str], *, happy: bool = False) -> list[str]:
    """Return the grievances described in tokens, each as the words that show it (normalised).

    In a happy message a long wait is anticipation, not a grievance: "waited years for this
    reissue, so excited!".
    """
    found = [match.evidence(tokens) for match in _STATED_SET.find_all(tokens)]
    pairs = [
        (_PROMISED_SET, _BROKEN_SET, _PROMISE_WINDOW),
        (_FAST_DELIVERY_SET, _TOOK_LONG_SET, _TOOK_WINDOW),
    ]
    if not happy:
        pairs.append((_WAITED_SET, _LONG_TIME_SET, _WAIT_WINDOW))
    for first, second, window in pairs:
        pair = find_near(tokens, first, second, window=window)
        if pair is not None:
            found.append(pair.evidence(tokens))
    return found
