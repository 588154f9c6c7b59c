"""Sensitive topics are detected, once each and in a fixed order, and routine text has none."""

import pytest

from tandem.nlu.topics import SensitiveTopic, TopicMatch, detect_sensitive_topics

BEREAVEMENT = SensitiveTopic.BEREAVEMENT
FRAUD = SensitiveTopic.FRAUD
HEALTH = SensitiveTopic.HEALTH
LEGAL = SensitiveTopic.LEGAL
SELF_HARM = SensitiveTopic.SELF_HARM
VULNERABILITY = SensitiveTopic.VULNERABILITY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # bereavement
        pytest.param(
            "my husband passed away last month", [(BEREAVEMENT, "passed away")], id="passed-away"
        ),
        pytest.param(
            "my mum died and I need to close her account",
            [(BEREAVEMENT, "mum died")],
            id="mum-died",
        ),
        pytest.param("the death of my father", [(BEREAVEMENT, "death")], id="death-of"),
        pytest.param("I need to arrange the funeral", [(BEREAVEMENT, "funeral")], id="funeral"),
        pytest.param("the account holder is deceased", [(BEREAVEMENT, "deceased")], id="deceased"),
        pytest.param("ordering for my late wife", [(BEREAVEMENT, "my late wife")], id="late-wife"),
        pytest.param("I lost my mum in March", [(BEREAVEMENT, "lost my mum")], id="lost-my-mum"),
        pytest.param("we are bereaved", [(BEREAVEMENT, "bereaved")], id="bereaved"),
        pytest.param(
            "I'm writing on behalf of the estate of John Smith",
            [(BEREAVEMENT, "estate of")],
            id="estate-of",
        ),
        pytest.param("she died in June", [(BEREAVEMENT, "she died")], id="she-died"),
        # fraud and security
        pytest.param("this is fraud", [(FRAUD, "fraud")], id="fraud"),
        pytest.param("I think it's a scam", [(FRAUD, "scam")], id="scam"),
        pytest.param("I've been scammed", [(FRAUD, "scammed")], id="scammed"),
        pytest.param("someone used my card", [(FRAUD, "someone used my card")], id="used-card"),
        pytest.param(
            "there's an unauthorised charge on my account",
            [(FRAUD, "unauthorised charge")],
            id="unauthorised-charge",
        ),
        pytest.param(
            "unauthorized transaction",
            [(FRAUD, "unauthorized transaction")],
            id="unauthorized-us-spelling",
        ),
        pytest.param("I didn't order this", [(FRAUD, "didn't order this")], id="didnt-order"),
        pytest.param(
            "I didnt make this purchase",
            [(FRAUD, "didn't make this purchase")],
            id="didnt-make-purchase",
        ),
        pytest.param("my account was hacked", [(FRAUD, "hacked")], id="hacked"),
        pytest.param("I got a phishing email", [(FRAUD, "phishing")], id="phishing"),
        pytest.param("identity theft", [(FRAUD, "identity theft")], id="identity-theft"),
        pytest.param("my card was stolen", [(FRAUD, "card was stolen")], id="card-stolen"),
        pytest.param(
            "I don't recognise this payment",
            [(FRAUD, "don't recognise this")],
            id="dont-recognise",
        ),
        pytest.param("I've been scamed", [(FRAUD, "scamed")], id="typo-scamed"),
        # health and product safety
        pytest.param(
            "I had an allergic reaction to the cream", [(HEALTH, "allergic")], id="allergic"
        ),
        pytest.param("it gave me a rash", [(HEALTH, "rash")], id="rash"),
        pytest.param(
            "I burned myself on the kettle", [(HEALTH, "burned myself")], id="burned-myself"
        ),
        pytest.param("my son was injured", [(HEALTH, "injured")], id="injured"),
        pytest.param("I ended up in hospital", [(HEALTH, "hospital")], id="hospital"),
        pytest.param("we went to A&E", [(HEALTH, "a&e")], id="a-and-e"),
        pytest.param("I think I was poisoned", [(HEALTH, "poisoned")], id="poisoned"),
        pytest.param("the charger caught fire", [(HEALTH, "caught fire")], id="caught-fire"),
        pytest.param("smoke came out of the toaster", [(HEALTH, "smoke")], id="smoke"),
        pytest.param("I got an electric shock", [(HEALTH, "electric shock")], id="electric-shock"),
        pytest.param("the food made me sick", [(HEALTH, "made me sick")], id="made-me-sick"),
        pytest.param(
            "the toy is a choking hazard", [(HEALTH, "choking hazard")], id="choking-hazard"
        ),
        pytest.param("I cut myself on the blade", [(HEALTH, "cut myself")], id="cut-myself"),
        pytest.param("I need this for medical reasons", [(HEALTH, "medical")], id="medical"),
        pytest.param("i had an alergic reaction", [(HEALTH, "alergic")], id="typo-alergic"),
        # legal
        pytest.param("I will speak to my lawyer", [(LEGAL, "lawyer")], id="lawyer"),
        pytest.param("my solicitor will be in touch", [(LEGAL, "solicitor")], id="solicitor"),
        pytest.param("I'll sue you", [(LEGAL, "i'll sue")], id="sue"),
        pytest.param("I am suing you", [(LEGAL, "suing")], id="suing"),
        pytest.param("I'm taking legal action", [(LEGAL, "taking legal")], id="legal-action"),
        pytest.param("see you in court", [(LEGAL, "see you in court")], id="court"),
        pytest.param("small claims court", [(LEGAL, "small claims")], id="small-claims"),
        pytest.param(
            "I'm reporting you to trading standards",
            [(LEGAL, "trading standards")],
            id="trading-standards",
        ),
        pytest.param("I'll go to the ombudsman", [(LEGAL, "ombudsman")], id="ombudsman"),
        pytest.param(
            "this breaks the consumer rights act",
            [(LEGAL, "consumer rights")],
            id="consumer-rights-act",
        ),
        pytest.param("my attorney says", [(LEGAL, "attorney")], id="attorney"),
        pytest.param("solicter letter incoming", [(LEGAL, "solicter")], id="typo-solicter"),
        # self-harm
        pytest.param("I want to kill myself", [(SELF_HARM, "kill myself")], id="kill-myself"),
        pytest.param("I'm going to end my life", [(SELF_HARM, "end my life")], id="end-my-life"),
        pytest.param("thinking about suicide", [(SELF_HARM, "suicide")], id="suicide"),
        pytest.param("I feel suicidal", [(SELF_HARM, "suicidal")], id="suicidal"),
        pytest.param(
            "I want to hurt myself",
            [(HEALTH, "hurt myself"), (SELF_HARM, "want to hurt myself")],
            id="hurt-myself",
        ),
        pytest.param(
            "I don't want to live anymore",
            [(SELF_HARM, "don't want to live")],
            id="dont-want-to-live",
        ),
        pytest.param("I self harm", [(SELF_HARM, "self harm")], id="self-harm"),
        pytest.param("i want to kil myself", [(SELF_HARM, "kil myself")], id="typo-kil"),
        # vulnerability
        pytest.param(
            "I'm disabled and can't get to the post office",
            [(VULNERABILITY, "i'm disabled")],
            id="disabled",
        ),
        pytest.param(
            "I'm blind so I can't read the label", [(VULNERABILITY, "i'm blind")], id="blind"
        ),
        pytest.param("I'm a carer for my mum", [(VULNERABILITY, "carer")], id="carer"),
        pytest.param("I'm elderly and alone", [(VULNERABILITY, "elderly")], id="elderly"),
        pytest.param(
            "I can't afford food this week",
            [(VULNERABILITY, "can't afford food")],
            id="cant-afford-food",
        ),
        pytest.param(
            "I'm fleeing domestic abuse", [(VULNERABILITY, "domestic abuse")], id="domestic-abuse"
        ),
        pytest.param(
            "I'm in hospital until Friday",
            [(HEALTH, "hospital"), (VULNERABILITY, "i'm in hospital")],
            id="in-hospital",
        ),
        # several topics come once each, in the order of SensitiveTopic
        pytest.param(
            "my dad passed away, this is fraud and I'm calling my solicitor about the fraud",
            [(BEREAVEMENT, "passed away"), (FRAUD, "fraud"), (LEGAL, "solicitor")],
            id="several-topics-in-order",
        ),
    ],
)
def test_detects_sensitive_topics(text: str, expected: list[tuple[SensitiveTopic, str]]) -> None:
    assert detect_sensitive_topics(text) == [
        TopicMatch(topic, evidence) for topic, evidence in expected
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("how long does delivery take", id="delivery-time"),
        pytest.param("I want to return a lamp", id="return-lamp"),
        pytest.param("the cord is too short", id="short-cord"),
        pytest.param("my card was declined", id="card-declined"),
        pytest.param("cancel my order", id="cancel-is-not-cancer"),
        pytest.param("I'm cancelling my subscription", id="cancelling"),
        pytest.param("I lost my parcel", id="lost-parcel"),
        pytest.param("my phone died", id="phone-died"),
        pytest.param("the battery is dead", id="battery-dead"),
        pytest.param("my late delivery", id="late-delivery"),
        pytest.param("I'm using the app", id="using-is-not-suing"),
        pytest.param("sue from accounts placed the order", id="sue-the-name"),
        pytest.param("my parcel was insured", id="insured-is-not-injured"),
        pytest.param("the order was packed badly", id="packed-is-not-hacked"),
        pytest.param("I paid in cash", id="cash-is-not-rash"),
        pytest.param("what's the durability of the case?", id="durability"),
        pytest.param("is this product compliant?", id="compliant"),
        pytest.param("the smoked salmon was great", id="smoked-salmon"),
        pytest.param("I was charged twice", id="charged-twice"),
        pytest.param("I need to update my card details", id="card-details"),
        pytest.param("my password reset isn't working", id="password-reset"),
        pytest.param("my dad loves it", id="dad-loves-it"),
        pytest.param("we're discussing it", id="discussing"),
        pytest.param("is it compatible with my laptop", id="compatible"),
        pytest.param("my card was closed by the bank", id="closed-is-not-cloned"),
        pytest.param("the price decreased after I ordered", id="decreased-is-not-deceased"),
    ],
)
def test_finds_nothing_in_routine_text(text: str) -> None:
    assert detect_sensitive_topics(text) == []


def test_topics_serialise_as_their_values() -> None:
    assert [topic.value for topic in SensitiveTopic] == [
        "bereavement",
        "fraud",
        "health",
        "legal",
        "self_harm",
        "vulnerability",
    ]
