"""Emotional readings flag angry, distressed, complaining and abusive messages, not routine ones."""

import dataclasses

import pytest

from tandem.nlu.emotion import EmotionReading, is_shouting, read_emotion

NONE: frozenset[str] = frozenset()
ANGER = frozenset({"anger"})
DISTRESS = frozenset({"distress"})
COMPLAINT = frozenset({"complaint"})
# An insult or a threat aimed at someone is an angry act: abuse always comes with anger.
ABUSE = frozenset({"anger", "abuse"})


def _flags(reading: EmotionReading) -> frozenset[str]:
    names = ("anger", "distress", "complaint", "abuse")
    return frozenset(name for name in names if getattr(reading, name))


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        pytest.param(
            "This is ridiculous, I've asked three times and nobody helps!",
            ANGER,
            id="ridiculous-three-times",
        ),
        pytest.param(
            "I'm so stressed, I need this for my daughter's birthday tomorrow and it's not here,"
            " please help",
            DISTRESS,
            id="stressed-birthday",
        ),
        pytest.param("you useless bot", ANGER | ABUSE, id="useless-bot"),
        pytest.param("I want to make a formal complaint", COMPLAINT, id="formal-complaint"),
        pytest.param("WHERE IS MY PARCEL", ANGER, id="shouting"),
        pytest.param(
            "With all due respect, this is the third time I'm writing and frankly it's"
            " unacceptable.",
            ANGER | COMPLAINT,
            id="polite-but-furious",
        ),
        pytest.param("this is f*cking ridiculous", ANGER | ABUSE, id="masked-profanity"),
        pytest.param("F**K this", ABUSE, id="masked-shouted-profanity"),
        pytest.param("fuuuck this", ABUSE, id="elongated-profanity"),
        pytest.param("what a load of sh1t", ANGER, id="leet-coarse-word"),
        pytest.param("this s*** is broken", ANGER, id="masked-coarse-word"),
        pytest.param("you're all idiots", ABUSE, id="idiots"),
        pytest.param("you are a bunch of clowns", ABUSE, id="clowns"),
        pytest.param("you are stupid", ABUSE, id="you-are-stupid"),
        pytest.param("I'm at my wit's end with this", DISTRESS, id="wits-end"),
        pytest.param("I'm in tears, the dress for the wedding never came", DISTRESS, id="tears"),
        pytest.param("I'm desperate, please help me", DISTRESS, id="desperate"),
        pytest.param("PLEASE HELP ME FIND MY ORDER", ANGER | DISTRESS, id="shouted-plea"),
        pytest.param("I am very disappointed with the service", COMPLAINT, id="disappointed"),
        pytest.param("not so happy with this", COMPLAINT, id="not-so-happy"),
        pytest.param("I'm fed up of waiting", ANGER, id="fed-up"),
        pytest.param("worst company ever", ANGER | COMPLAINT, id="worst"),
        pytest.param("how many times do I have to tell you", ANGER, id="how-many-times"),
        pytest.param("still waiting for my refund!!!", ANGER, id="still-waiting-bangs"),
        pytest.param("Terrible service, never again", ANGER | COMPLAINT, id="never-again"),
        pytest.param("I have no words. Terrible. Pathetic.", ANGER | COMPLAINT, id="fragments"),
        pytest.param("this is a joke", ANGER, id="a-joke"),
        pytest.param("i'm so angery right now", ANGER, id="typo-angry"),
        pytest.param("I am absolutely livid", ANGER, id="livid"),
        # sarcastic praise next to a failure
        pytest.param(
            "Fantastic. Simply fantastic. The vase arrived smashed. Great work everyone",
            ANGER,
            id="sarcasm-smashed",
        ),
        pytest.param(
            "Oh wonderful, the wrong size again. Good job", ANGER, id="sarcasm-wrong-size"
        ),
        # a failure that keeps happening, disbelief
        pytest.param("this is my fourth email about it", ANGER, id="fourth-email"),
        pytest.param("the 3rd damaged mirror in a row", ANGER, id="third-damaged"),
        pytest.param("you have got to be joking", ANGER, id="got-to-be-joking"),
        pytest.param("you can't be serious, another delay?", ANGER, id="cant-be-serious"),
        # distress in the body, and having no way out
        pytest.param("my hands are trembling", DISTRESS, id="hands-trembling"),
        pytest.param("I'm literally shaking right now", DISTRESS, id="literally-shaking"),
        pytest.param(
            "everything keeps going wrong, I can't take it anymore",
            DISTRESS,
            id="cant-take-it-anymore",
        ),
        pytest.param("I don't know where to turn", DISTRESS, id="where-to-turn"),
        pytest.param("it has been an absolute nightmare", DISTRESS, id="nightmare"),
        # how staff treated the customer, and asking to escalate
        pytest.param("the courier was extremely rude to my mother", COMPLAINT, id="rude-courier"),
        pytest.param("such a condescending reply", COMPLAINT, id="condescending-reply"),
        pytest.param("I wish to escalate this", COMPLAINT, id="wish-to-escalate"),
        # threats, open or veiled
        pytest.param("carry on ignoring me and see what happens", ABUSE, id="veiled-ignoring-me"),
        pytest.param("refund me or see what happens", ABUSE, id="or-see-what-happens"),
        pytest.param("you'll regret this", ABUSE, id="youll-regret"),
        pytest.param("watch your back", ABUSE, id="watch-your-back"),
        pytest.param("I know where you live", ABUSE, id="know-where-you-live"),
        # a verdict on the service or product, either side of what it judges
        pytest.param("your customer service has been very poor", COMPLAINT, id="service-very-poor"),
        pytest.param("shocking quality for the price", COMPLAINT, id="shocking-quality"),
        pytest.param("your website is a complete mess", COMPLAINT, id="website-a-mess"),
        # "Worst" is a verdict; "worst ... ever" is an outburst too.
        pytest.param("the worst shopping experience", COMPLAINT, id="worst-experience"),
        pytest.param("worst service ever", ANGER | COMPLAINT, id="worst-ever"),
        pytest.param("the drawers fell apart within a week", COMPLAINT, id="fell-apart"),
        pytest.param("badly made and overpriced", COMPLAINT, id="badly-made"),
        pytest.param("I expected far better from you", COMPLAINT, id="expected-far-better"),
        pytest.param("your service has gone downhill", COMPLAINT, id="gone-downhill"),
        pytest.param("I've never been treated so badly", COMPLAINT, id="never-so-badly"),
        pytest.param(
            "nobody has taken responsibility for the damage", COMPLAINT, id="no-responsibility"
        ),
        pytest.param(
            "I am disgusted with how this was handled", ANGER | COMPLAINT, id="disgusted-with"
        ),
        pytest.param("this is unacceptable", ANGER | COMPLAINT, id="unacceptable"),
        # nobody answering, being ignored, a simple task failing
        pytest.param("why does nobody ever reply to my emails", ANGER, id="nobody-ever-replies"),
        pytest.param("no one has got back to me", ANGER, id="no-one-got-back"),
        pytest.param("I've been ignored for a week", ANGER, id="ignored"),
        pytest.param("how hard can it be to send a refund", ANGER, id="how-hard-can-it-be"),
        # distress shown by what happened, not by a feeling word
        pytest.param(
            "my husband died last month and his order is still coming", DISTRESS, id="bereavement"
        ),
        pytest.param("I've lost my job and need the refund", DISTRESS, id="hardship"),
        pytest.param(
            "please help, the baby is due on Monday and the cot hasn't come",
            DISTRESS,
            id="plea-and-stake",
        ),
        # insults without an insulting noun, disguised, or coarse words aimed
        pytest.param("shit service", ABUSE, id="coarse-word-at-service"),
        pytest.param("screw you and your crappy chairs", ABUSE, id="screw-you"),
        pytest.param("go to hell", ABUSE, id="go-to-hell"),
        pytest.param("what is wrong with you people", ABUSE, id="wrong-with-you-people"),
        pytest.param("you id10t", ABUSE, id="leet-insult"),
        pytest.param("you pathetic excuse for a human", ABUSE, id="excuse-for-a"),
        pytest.param("are you brain dead?", ABUSE, id="brain-dead"),
    ],
)
def test_flags_messages_that_should_reach_a_person(text: str, flags: frozenset[str]) -> None:
    reading = read_emotion(text)
    assert _flags(reading) == flags
    assert reading.needs_person
    assert reading.negative
    assert reading.cues


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("my package hasn't arrived yet, where is it?", id="not-arrived"),
        pytest.param("I'd like to return a broken lamp", id="broken-lamp"),
        pytest.param("how long do refunds take?", id="refund-time"),
        pytest.param("the kettle I received doesn't work", id="kettle"),
        pytest.param("I can't log in", id="log-in"),
        pytest.param("no thanks", id="no-thanks"),
        pytest.param("that's not what I asked", id="not-what-i-asked"),
        pytest.param("I lost my card, cancel it, it's broken and damaged", id="routine-vader-neg"),
        pytest.param("my order was lost and damaged, broken glass", id="lost-damaged"),
        pytest.param("the charger is dead and the screen is cracked", id="dead-cracked"),
        pytest.param("my card was stolen, fraud", id="stolen-is-a-topic"),
        pytest.param("I keep getting an error, no idea why", id="error"),
        pytest.param("I need to cancel, no longer needed", id="cancel"),
        pytest.param("Thanks!!!", id="happy-bangs"),
        pytest.param("is this available in red???", id="question-marks"),
        pytest.param("It's GREAT, THANK YOU SO MUCH", id="happy-shouting"),
        pytest.param("I'm not angry, just confused about the invoice", id="negated-anger"),
        pytest.param("it is not the worst", id="negated-worst"),
        pytest.param("I ordered from DPD UK", id="acronyms"),
        pytest.param("have you shipped it yet?", id="have-is-not-hate"),
        pytest.param("I hate to bother you, but where is my parcel", id="hate-to-bother"),
        pytest.param("there's an outage on your website", id="outage-is-not-outraged"),
        pytest.param("i felt like an idiot putting it together lol", id="self-deprecating"),
        pytest.param("can you check the model A55 is in stock", id="product-code"),
        pytest.param("I've lived here ten years", id="lived-is-not-livid"),
        pytest.param("what a terrific product", id="terrific-is-not-terrified"),
        pytest.param("my package still hasn't arrived", id="still-not-arrived"),
        pytest.param("I've ordered from you many times already", id="many-times-happy"),
        pytest.param(
            "Well done on the quick delivery, but one plate was broken", id="praise-but-problem"
        ),
        pytest.param("Brilliant, the replacement arrived, thanks!", id="praise-with-thanks"),
        pytest.param("Absolutely brilliant service, will order again", id="praise-alone"),
        pytest.param("the detective novel arrived, well done", id="detective-is-not-defective"),
        pytest.param("this is my third order from you, love it", id="third-order"),
        pytest.param("the second broken cup", id="second-is-no-pattern"),
        pytest.param("unbelievably fast delivery", id="unbelievably-is-praise"),
        pytest.param("I'm sharing this with my friend", id="sharing-is-not-shaking"),
        pytest.param("the table wobbles and is shaking", id="table-shaking"),
        pytest.param("sorry to be rude, but where is my parcel?", id="sorry-to-be-rude"),
        pytest.param("can you escalate it with the courier?", id="escalate-with-courier"),
        pytest.param("I'll wait and see what happens with the courier", id="wait-and-see"),
        pytest.param("you won't regret buying it", id="wont-regret"),
        pytest.param("I know where your shop is, I'll collect it", id="know-where-shop-is"),
        pytest.param("damn, I forgot my password again", id="self-exclamation"),
        pytest.param("crap, I typed my email wrong", id="self-exclamation-crap"),
        pytest.param("I'm shopping for a new desk", id="shopping-is-not-shocking"),
        pytest.param(
            "leave it with a neighbour if nobody answers the door", id="nobody-if-conditional"
        ),
        pytest.param("nobody was home when the courier came", id="nobody-home"),
        pytest.param("I'm really looking forward to it", id="looking-forward"),
        pytest.param("the quality isn't poor, it's just not my style", id="negated-verdict"),
        pytest.param("great service, the website is easy to use", id="service-praised"),
        pytest.param("there's no excuse needed, happy to wait", id="no-excuse"),
        pytest.param("my dad ordered this for me, can I change the size?", id="kin-routine"),
    ],
)
def test_leaves_routine_messages_alone(text: str) -> None:
    reading = read_emotion(text)
    assert _flags(reading) == NONE
    assert not reading.negative
    assert reading.cues == ()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("that's a shame, I was really looking forward to it", id="shame"),
        pytest.param("sadly the sofa isn't what I hoped for", id="not-what-i-hoped"),
        pytest.param("not ideal, I needed it for the weekend", id="not-ideal"),
    ],
)
def test_mild_disappointment_is_negative_without_a_flag(text: str) -> None:
    reading = read_emotion(text)
    assert _flags(reading) == NONE
    assert reading.disappointment
    assert reading.negative
    assert not reading.needs_person
    assert reading.load < read_emotion("I want to make a formal complaint").load


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        pytest.param("This is ridiculous", "anger: 'ridiculous'", id="lexicon"),
        pytest.param("WHERE IS MY PARCEL", "shouting", id="shouting"),
        pytest.param("what a load of sh1t", "anger: 'sh1t'", id="as-written"),
        pytest.param("you sh1t", "abuse: 'sh1t'", id="aimed-coarse-word"),
        pytest.param(
            "your customer service has been very poor",
            "complaint: 'customer service has been very poor'",
            id="judgement",
        ),
        pytest.param(
            "my husband died on Sunday", "distress: bereavement 'husband died'", id="topic"
        ),
        pytest.param(
            "why does nobody ever reply to my emails",
            "anger: 'nobody ever reply'",
            id="nobody-replies",
        ),
        pytest.param("that's a shame", "disappointment: 'shame'", id="disappointment"),
        pytest.param("still nothing!!!", "emphatic '!!!'", id="emphasis"),
        pytest.param("you useless bot", "abuse: 'useless'", id="abuse"),
        pytest.param("I want to make a formal complaint", "complaint: 'complaint'", id="complaint"),
        pytest.param(
            "Just brilliant, a cracked screen",
            "sarcasm: 'just brilliant a cracked'",
            id="sarcasm-close",
        ),
        pytest.param(
            "Great job. Took three weeks and it still came to me totally ruined",
            "sarcasm: 'great job ... ruined'",
            id="sarcasm-far-apart",
        ),
        pytest.param(
            "keep ignoring us and see what happens",
            "threat: 'keep ignoring us and see what happens'",
            id="threat",
        ),
    ],
)
def test_cues_quote_the_evidence(text: str, cue: str) -> None:
    assert cue in read_emotion(text).cues


def test_strong_vader_negativity_counts_when_not_explained_by_routine_words() -> None:
    reading = read_emotion("I hate you and your company, you ruined everything")
    assert reading.negative_tone
    assert reading.sentiment <= -0.75
    assert f"sentiment {reading.sentiment:.2f}" in reading.cues


@pytest.mark.parametrize(
    ("calmer", "stronger"),
    [
        pytest.param("where is my parcel?", "I want to make a formal complaint", id="complaint"),
        pytest.param("I want to make a formal complaint", "This is ridiculous", id="anger"),
        pytest.param("This is ridiculous", "you useless bot", id="abuse"),
        pytest.param("This is ridiculous", "This is ridiculous and pathetic!!!", id="more-cues"),
    ],
)
def test_load_grows_with_the_strength_of_the_emotion(calmer: str, stronger: str) -> None:
    assert read_emotion(calmer).load < read_emotion(stronger).load


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("thank you so much, brilliant service!", id="positive"),
        pytest.param("you f*cking useless idiots, this is the worst, I HATE YOU!!!", id="max"),
    ],
)
def test_sentiment_and_load_stay_in_range(text: str) -> None:
    reading = read_emotion(text)
    assert -1.0 <= reading.sentiment <= 1.0
    assert 0.0 <= reading.load <= 1.0


def test_readings_are_immutable() -> None:
    reading = read_emotion("hello")
    with pytest.raises(dataclasses.FrozenInstanceError):
        reading.anger = True  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "shouting"),
    [
        pytest.param("WHERE IS MY PARCEL", True, id="all-caps"),
        pytest.param("I NEED HELP NOW", True, id="single-letter-words-ignored"),
        pytest.param("Where is my parcel", False, id="sentence-case"),
        pytest.param("AGENT!!!", False, id="one-word"),
        pytest.param("I ordered from DPD UK via the app", False, id="acronyms"),
        pytest.param("OK UK DPD", False, id="too-few-letters"),
    ],
)
def test_is_shouting(text: str, shouting: bool) -> None:
    assert is_shouting(text) is shouting


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        pytest.param("you'll be sorry if my refund isn't here by Friday", ABUSE, id="be-sorry"),
        pytest.param("say that again and I'll find you", ABUSE, id="find-you"),
        pytest.param("I'll smash your driver's face in", ABUSE, id="violence-to-a-body"),
        pytest.param("I'll kill him if he throws my parcel again", ABUSE, id="kill-him"),
        pytest.param("are you thick? read my message", ABUSE, id="are-you-thick"),
        pytest.param("fvck this", ABUSE, id="v-for-u"),
        pytest.param("eat sh1t", ABUSE, id="leet-dismissal"),
        pytest.param("you're a bunch of scammers", ABUSE, id="scammers"),
        pytest.param("For god's sake, just refund me", ANGER, id="for-gods-sake"),
        pytest.param("For crying out loud, answer me", ANGER, id="crying-out-loud"),
        pytest.param("I've had it up to here with your excuses", ANGER, id="up-to-here"),
        pytest.param("I'm losing my temper, this is the third refund request", ANGER, id="temper"),
        pytest.param("why do I have to keep repeating myself", ANGER, id="repeating-myself"),
        pytest.param("How many more weeks do I have to wait?!", ANGER, id="how-many-more-weeks"),
        pytest.param("I've been waiting over a month for my refund", COMPLAINT, id="long-wait"),
        pytest.param("I emailed twice and had no reply", COMPLAINT, id="no-reply"),
        pytest.param("you never answer your emails", COMPLAINT, id="you-never-answer"),
        pytest.param(
            "I was promised a callback and it still hasn't happened", COMPLAINT, id="broken-promise"
        ),
        pytest.param(
            "Nobody has contacted me in ten days despite promising a callback",
            COMPLAINT,
            id="despite-promising",
        ),
        pytest.param("I keep getting passed between departments", COMPLAINT, id="passed-around"),
        pytest.param("I shouldn't have to chase you every time", COMPLAINT, id="have-to-chase"),
        pytest.param("the description is misleading, it's veneer", COMPLAINT, id="misleading"),
        pytest.param("your next day delivery took nine days", COMPLAINT, id="slow-fast-delivery"),
        pytest.param("your so-called guarantee", COMPLAINT, id="so-called"),
        pytest.param("the quality is really poor", COMPLAINT, id="quality-really-poor"),
        pytest.param("total waste of money", COMPLAINT, id="waste-of-money-is-a-verdict"),
        pytest.param("Worst service I've had", COMPLAINT, id="worst-is-a-verdict"),
        pytest.param("I feel sick with worry about the payment", DISTRESS, id="sick-with-worry"),
        pytest.param("We lost everything in the fire", DISTRESS, id="lost-everything"),
        pytest.param("my dad is in hospital, please cancel it", DISTRESS, id="kin-in-hospital"),
    ],
)
def test_flags_round_two_cues(text: str, flags: frozenset[str]) -> None:
    reading = read_emotion(text)
    assert _flags(reading) == flags
    assert reading.needs_person


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("The reviews said 'awful to assemble' but it was easy", id="quoted-review"),
        pytest.param("Do you have the 'Hell's Kitchen' apron?", id="quoted-product-name"),
        pytest.param("Is the Bloody Mary mix in stock?", id="product-name"),
        pytest.param("Damn, that was fast! Thank you", id="coarse-word-in-praise"),
        pytest.param("I was waiting weeks for this launch, so excited!", id="happy-wait"),
        pytest.param("Could you chase the courier for me?", id="asking-to-chase"),
        pytest.param("You promised me a discount code, could you send it?", id="promise-kept"),
        pytest.param("Does express delivery take 2 days?", id="delivery-question"),
        pytest.param("I'll break the box down for recycling", id="break-the-box"),
        pytest.param("I know where your office is, can I collect?", id="office-is-no-threat"),
        pytest.param("the foam is quite thick, is that normal?", id="thick-foam"),
        pytest.param("Sorry, awful week, could you resend the code?", id="awful-week"),
        pytest.param("I'm not complaining, just asking", id="not-complaining"),
        pytest.param("No worries, not bad at all", id="no-worries"),
    ],
)
def test_round_two_cues_leave_hard_negatives_alone(text: str) -> None:
    assert _flags(read_emotion(text)) == NONE


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("That's a bit annoying tbh", id="bit-annoying"),
        pytest.param("honestly slightly let down by the colour", id="slightly-let-down"),
        pytest.param("Not thrilled with the colour", id="not-thrilled"),
    ],
)
def test_hedged_feelings_are_mild_disappointment(text: str) -> None:
    reading = read_emotion(text)
    assert _flags(reading) == NONE
    assert reading.disappointment
