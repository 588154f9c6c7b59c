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
        pytest.param(
            "my late husband's subscription needs cancelling",
            [(BEREAVEMENT, "my late husband's")],
            id="late-possessive",
        ),
        pytest.param(
            "I'm settling my dad's affairs and need to close his account",
            [(BEREAVEMENT, "dad's affairs")],
            id="kin-affairs",
        ),
        pytest.param(
            "I'm handling her estate now", [(BEREAVEMENT, "handling her estate")], id="her-estate"
        ),
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
        # someone else acting on the account, then what they took or changed
        pytest.param(
            "somebody got into my account and changed the password",
            [(FRAUD, "somebody got into my account")],
            id="someone-got-into",
        ),
        pytest.param(
            "someone has redeemed my loyalty points",
            [(FRAUD, "someone has redeemed my loyalty points")],
            id="someone-redeemed",
        ),
        pytest.param(
            "I think somebody must have taken the voucher",
            [(FRAUD, "somebody must have taken the voucher")],
            id="somebody-must-have-taken",
        ),
        pytest.param(
            "someone's changed my pasword",
            [(FRAUD, "someone's changed my pasword")],
            id="typo-in-what-was-changed",
        ),
        # activity the customer disowns
        pytest.param(
            "there are three charges I didn't authorise",
            [(FRAUD, "charges i didn't authorise")],
            id="charges-i-didnt-authorise",
        ),
        pytest.param(
            "transactions I don't recognise on my card",
            [(FRAUD, "transactions i don't recognise")],
            id="transactions-i-dont-recognise",
        ),
        pytest.param(
            "a payment from your shop is on my bank statement, I've never shopped with you",
            [(FRAUD, "on my bank statement i've never shopped with")],
            id="never-a-customer",
        ),
        pytest.param(
            "an order was placed and my address changed. This was not me",
            [(FRAUD, "changed this was not me")],
            id="wasnt-me",
        ),
        # a message that asks for secrets
        pytest.param(
            "a text said my parcel was held and asked for my bank details",
            [(FRAUD, "text ... asked for my bank details")],
            id="lure-asks-bank-details",
        ),
        pytest.param(
            "got a message asking me to confirm my login details",
            [(FRAUD, "message asking me to confirm my login details")],
            id="lure-asks-to-confirm",
        ),
        pytest.param(
            "you have billed me five times for one order",
            [(FRAUD, "billed me five times")],
            id="billed-five-times",
        ),
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
        # injuries to the body, furniture falling on a person
        pytest.param(
            "the lid trapped her finger", [(HEALTH, "trapped her finger")], id="trapped-finger"
        ),
        pytest.param(
            "my wrist is really swollen after the handle snapped",
            [(HEALTH, "my wrist is really swollen")],
            id="wrist-swollen",
        ),
        pytest.param(
            "the lamp toppled onto my daughter",
            [(HEALTH, "toppled onto my daughter")],
            id="toppled-onto",
        ),
        pytest.param("the shelf fell on him", [(HEALTH, "fell on him")], id="fell-on-him"),
        pytest.param("he needed stitches", [(HEALTH, "needed stitches")], id="stitches"),
        pytest.param(
            "my toddler swallowed one of the beads", [(HEALTH, "swallowed")], id="swallowed"
        ),
        # eating something unsafe, a foreign body in food
        pytest.param(
            "we drank some before noticing the mould, is it harmful?",
            [(HEALTH, "drank ... harmful")],
            id="drank-harmful",
        ),
        pytest.param(
            "there were bits of plastic in the chocolate",
            [(HEALTH, "plastic in the chocolate")],
            id="plastic-in-chocolate",
        ),
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
        # legal threats in the languages of an EU shop's customers
        pytest.param("j'ai contacté mon avocat", [(LEGAL, "avocat")], id="fr-avocat"),
        pytest.param(
            "je vais déposer plainte", [(LEGAL, "deposer plainte")], id="fr-deposer-plainte"
        ),
        pytest.param("ich werde Sie verklagen", [(LEGAL, "verklagen")], id="de-verklagen"),
        pytest.param("wir sehen uns vor Gericht", [(LEGAL, "vor gericht")], id="de-vor-gericht"),
        pytest.param("mi abogado le escribirá", [(LEGAL, "abogado")], id="es-abogado"),
        pytest.param("pondré una demanda", [(LEGAL, "una demanda")], id="es-una-demanda"),
        pytest.param("ik ga naar de rechter", [(LEGAL, "naar de rechter")], id="nl-rechter"),
        pytest.param(
            "ik schakel mijn advocaat in", [(LEGAL, "mijn advocaat")], id="nl-mijn-advocaat"
        ),
        pytest.param("procederò per vie legali", [(LEGAL, "vie legali")], id="it-vie-legali"),
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
        pytest.param(
            "I'm not sure I want to be around anymore",
            [(SELF_HARM, "want to be around anymore")],
            id="want-to-be-around-anymore",
        ),
        pytest.param(
            "I won't be here much longer",
            [(SELF_HARM, "won't be here much longer")],
            id="wont-be-here-much-longer",
        ),
        pytest.param(
            "goodbye, I won't be around to use it",
            [(SELF_HARM, "goodbye i won't be around")],
            id="goodbye-wont-be-around",
        ),
        pytest.param(
            "everyone is better off without me",
            [(SELF_HARM, "better off without me")],
            id="better-off-without-me",
        ),
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
        # an old age said in figures
        pytest.param(
            "I'm 79 and can't get to the post office",
            [(VULNERABILITY, "i'm 79")],
            id="age-79",
        ),
        pytest.param("aged 88, I live alone", [(VULNERABILITY, "aged 88")], id="aged-88"),
        pytest.param("I am 91 years old", [(VULNERABILITY, "i am 91")], id="age-in-years"),
        pytest.param(
            "I'm in my eighties", [(VULNERABILITY, "in my eighties")], id="in-my-eighties"
        ),
        # hardship and cognitive conditions
        pytest.param(
            "we have no money for food until payday",
            [(VULNERABILITY, "no money for food")],
            id="no-money-for-food",
        ),
        pytest.param(
            "I can't feed my kids this week",
            [(VULNERABILITY, "can't feed my kids")],
            id="cant-feed-kids",
        ),
        pytest.param(
            "I haven't been able to afford groceries",
            [(VULNERABILITY, "haven't been able to afford groceries")],
            id="havent-been-able-to-afford",
        ),
        pytest.param(
            "I've got ADHD and the form confuses me",
            [(VULNERABILITY, "i've got adhd")],
            id="adhd",
        ),
        pytest.param(
            "I'm dyslexic so the instructions are hard",
            [(VULNERABILITY, "i'm dyslexic")],
            id="dyslexic",
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
        pytest.param("my mum's birthday is next week", id="kin-possessive"),
        pytest.param("my late order is still here", id="late-order"),
        # tense tells a request from a report: these ask someone to act on the account
        pytest.param("can someone change my delivery address?", id="can-someone-change"),
        pytest.param("could someone access my account and check?", id="could-someone-access"),
        pytest.param("someone needs to reset my password", id="someone-needs-to-reset"),
        pytest.param("someone took the parcel in for me", id="someone-took-parcel"),
        pytest.param("I've never ordered from you before, do you ship to Spain?", id="new-buyer"),
        pytest.param("I didn't receive the order I placed", id="order-not-received"),
        pytest.param("I changed my email, that's me now", id="thats-me"),
        pytest.param("my bank charged me 3 euros", id="bank-fee"),
        pytest.param("the delivery date changed 3 times", id="changed-is-not-charged"),
        pytest.param("the checkout page asked for my card details twice", id="checkout-asks"),
        pytest.param("the email asked for my order number", id="email-asks-order-number"),
        # routine safety questions and mishaps to things, not people
        pytest.param("is the glass dishwasher safe?", id="dishwasher-safe"),
        pytest.param("the glass in the frame is cracked", id="glass-in-frame"),
        pytest.param("is the paint toxic?", id="toxic-question"),
        pytest.param("the shelf fell on the floor", id="fell-on-floor"),
        pytest.param("the box fell on my doorstep", id="fell-on-doorstep"),
        pytest.param("the app keeps failing on me", id="failing-is-not-falling"),
        pytest.param("my son broke his phone, do you sell cases?", id="broke-phone"),
        pytest.param("I cut my hair and want a new hat", id="cut-hair"),
        pytest.param("my hands are cold, do you sell gloves?", id="cold-hands"),
        pytest.param("I'm confused about the invoice", id="confused-is-not-concussed"),
        pytest.param("the avocado oil was lovely", id="avocado-is-not-avvocato"),
        pytest.param("I demand a refund", id="demand-is-not-demanda"),
        pytest.param("the tribune review", id="tribune-is-not-tribunal"),
        pytest.param("I won't be around on Tuesday, deliver Wednesday", id="away-on-tuesday"),
        pytest.param("I've made my decision, I'll keep the blue one", id="made-my-decision"),
        pytest.param("I'm 30 and live on my own", id="young-age"),
        pytest.param("I'm 90% sure I ordered the large", id="percent-is-not-age"),
        pytest.param("I'm 80 minutes from the store", id="minutes-are-not-age"),
        pytest.param("I can't afford the express delivery", id="cant-afford-delivery"),
        pytest.param("do you have dyslexia friendly books?", id="dyslexia-friendly"),
        pytest.param("I had a stroke of luck in the sale", id="stroke-of-luck"),
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
