"""A customer asking for a person is recognised, with the words they used as evidence."""

import pytest

from tandem.nlu import request_lexicons
from tandem.nlu.human_request import detect_human_request
from tandem.nlu.text import expand, tokenize


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        # a verb of speaking or asking, then a person
        pytest.param("I want to speak to a human", "speak to a human", id="speak-to-human"),
        pytest.param("can I talk to someone", "talk to someone", id="talk-to-someone"),
        pytest.param(
            "let me speak to a real person", "speak to a real person", id="speak-real-person"
        ),
        pytest.param(
            "connect me to customer service",
            "connect me to customer service",
            id="connect-customer-service",
        ),
        pytest.param("transfer me to an agent", "transfer me to an agent", id="transfer-agent"),
        pytest.param("get me a manager", "get me a manager", id="get-manager"),
        pytest.param("talk to somebody real", "talk to somebody", id="somebody-real"),
        pytest.param("live chat with staff", "chat with staff", id="chat-with-staff"),
        pytest.param("you're a bot, get me someone", "get me someone", id="get-me-someone"),
        pytest.param(
            "put me through to a person", "put me through to a person", id="put-me-through"
        ),
        pytest.param("speak to an advisor", "speak to an advisor", id="advisor"),
        pytest.param(
            "can I speak with a supervisor", "speak with a supervisor", id="speak-with-supervisor"
        ),
        pytest.param(
            "I'd like to talk to a real human being",
            "talk to a real human being",
            id="human-being",
        ),
        pytest.param("get me a human now", "get me a human", id="get-human-now"),
        pytest.param("I need a human", "need a human", id="need-human"),
        pytest.param("transfer to live agent", "transfer to live agent", id="live-agent"),
        pytest.param(
            "connect me with a representative please",
            "connect me with a representative",
            id="connect-representative",
        ),
        pytest.param("Can I have a human please", "can i have a human", id="can-i-have"),
        pytest.param("I wanna speak to a real person", "speak to a real person", id="wanna"),
        pytest.param("pls get me an agent", "get me an agent", id="get-agent"),
        pytest.param(
            "escalate this to your supervisor",
            "escalate this to your supervisor",
            id="escalate",
        ),
        pytest.param("I want a real person not a bot", "want a real person", id="real-not-bot"),
        pytest.param(
            "can I get customer support on the phone",
            "can i get customer support",
            id="customer-support",
        ),
        pytest.param("speak to someone in charge", "speak to someone", id="someone-in-charge"),
        pytest.param("how do I contact a human", "contact a human", id="contact-human"),
        pytest.param("i need to talk to someone urgently", "talk to someone", id="urgently"),
        pytest.param("I'd rather talk to a person", "talk to a person", id="rather-talk"),
        pytest.param("let me speak to your manager", "speak to your manager", id="your-manager"),
        pytest.param("i want a human!!!", "want a human", id="want-human-bangs"),
        pytest.param("no, I want a human", "want a human", id="no-comma-want"),
        pytest.param("I demand to speak to a manager", "speak to a manager", id="demand"),
        pytest.param("hand me over to a person", "hand me over to a person", id="hand-over"),
        pytest.param(
            "I need a real person to help me with this", "need a real person", id="help-me"
        ),
        pytest.param("can I get someone on the phone?", "can i get someone", id="get-someone"),
        pytest.param("is there a person I can talk to?", "is there a person", id="is-there"),
        pytest.param("Is there anyone I can talk to?", "anyone i can talk", id="anyone-i-can"),
        pytest.param(
            "can I discuss this with someone from your team please",
            "discuss this with someone",
            id="discuss-with-someone",
        ),
        pytest.param(
            "could we discuss it with your supervisor",
            "discuss it with your supervisor",
            id="discuss-with-supervisor",
        ),
        # a team the customer may talk to, named before the verb
        pytest.param(
            "is there a department I can speak to about this?",
            "department i can speak",
            id="department-i-can-speak",
        ),
        pytest.param(
            "Do you have a returns team we could chat to?",
            "team we could chat",
            id="team-we-could-chat",
        ),
        # a vague person from the company, wanted or asked a question
        pytest.param(
            "I need someone from your team to look at my order",
            "need someone from your team",
            id="need-someone-from-team",
        ),
        pytest.param(
            "I'd like somebody at your company to explain this charge",
            "i'd like somebody at your company",
            id="like-somebody-at-company",
        ),
        pytest.param(
            "Is there someone from your returns team we could chat to?",
            "is there someone from your returns team",
            id="is-there-someone-from-returns-team",
        ),
        pytest.param(
            "is there anybody in your support team who can help",
            "is there anybody in your support team",
            id="anybody-in-support-team",
        ),
        pytest.param(
            "get anyone else from the support desk to ring me",
            "get anyone else from the support desk",
            id="anyone-else-from-support-desk",
        ),
        pytest.param(
            "can somebody at customer care check my refund",
            "can somebody at customer care",
            id="somebody-at-customer-care",
        ),
        pytest.param(
            "could anyone from your returns team look at order PP-1234?",
            "could anyone from your returns team",
            id="anyone-from-returns-team",
        ),
        pytest.param(
            "can't someone from your warehouse just check the shelf?",
            "can't someone from your warehouse",
            id="cant-someone-from-warehouse",
        ),
        pytest.param(
            "please, someone from customer service, help me",
            "please someone from customer service",
            id="please-someone-from-customer-service",
        ),
        pytest.param(
            "would someone on your end be able to look into it?",
            "would someone on your end",
            id="someone-on-your-end",
        ),
        pytest.param(
            "could someone from your compnay check this",
            "could someone from your compnay",
            id="typo-compnay",
        ),
        # checking that a person is there at all
        pytest.param("is anyone actually there?", "is anyone actually there", id="anyone-there"),
        pytest.param("HELLOOO is anybody there", "is anybody there", id="elongated-hello"),
        pytest.param("hiya, anybody home?", "anybody home", id="anybody-home"),
        pytest.param("yo anyone around??", "anyone around", id="anyone-around"),
        pytest.param(
            "anyone there? my order hasn't arrived", "anyone there", id="anyone-there-then-issue"
        ),
        pytest.param(
            "Is anyone even reading my messages??",
            "is anyone even reading my messages",
            id="reading-my-messages",
        ),
        pytest.param(
            "does anyone actually read these",
            "does anyone actually read these",
            id="does-anyone-read",
        ),
        pytest.param("hello? anyone?", "hello anyone", id="hello-anyone"),
        pytest.param("is there anybody out there", "is there anybody out there", id="out-there"),
        pytest.param("are any real humans here", "are any real humans here", id="real-humans-here"),
        pytest.param("is there a real human here?", "is there a real human", id="real-human-here"),
        pytest.param(
            "is anybody available on the phone",
            "is anybody available on the phone",
            id="available-on-the-phone",
        ),
        pytest.param(
            "is anyone online at the moment", "is anyone online", id="online-at-the-moment"
        ),
        pytest.param(
            "is someone from your team online right now?",
            "is someone from your team online",
            id="someone-from-team-online",
        ),
        pytest.param(
            "am i chatting with anybody or what", "am i chatting with anybody", id="chatting-with"
        ),
        pytest.param("i'm talking to myself here", "i'm talking to myself", id="talking-to-myself"),
        # other EU languages, with or without their accents
        pytest.param(
            "Je voudrais parler à quelqu'un, svp", "parler a quelqu'un", id="fr-quelqu-un"
        ),
        pytest.param(
            "je peux parler a un conseiller ?", "parler a un conseiller", id="fr-no-accents"
        ),
        pytest.param(
            "Un humain, s'il vous plaît !", "un humain s'il vous plait", id="fr-humain-svp"
        ),
        pytest.param("je veux un conseiller svp", "veux un conseiller", id="fr-veux-conseiller"),
        pytest.param(
            "Ich möchte mit einem Menschen sprechen",
            "mit einem menschen sprechen",
            id="de-menschen",
        ),
        pytest.param(
            "ich moechte mit einem echten Menschen sprechen",
            "mit einem echten menschen sprechen",
            id="de-echten-menschen",
        ),
        pytest.param(
            "Können Sie mich mit einem Mitarbeiter verbinden?",
            "mit einem mitarbeiter verbinden",
            id="de-verbinden",
        ),
        pytest.param("Einen Mitarbeiter bitte!", "einen mitarbeiter bitte", id="de-bitte"),
        pytest.param(
            "¿Puedo hablar con una persona?", "hablar con una persona", id="es-una-persona"
        ),
        pytest.param("necesito hablar con alguien", "hablar con alguien", id="es-alguien"),
        pytest.param("Un agente, por favor", "un agente por favor", id="es-por-favor"),
        pytest.param(
            "Kan ik met een medewerker spreken?", "met een medewerker spreken", id="nl-medewerker"
        ),
        pytest.param("ik wil een mens spreken", "wil een mens", id="nl-mens"),
        pytest.param(
            "Vorrei parlare con un operatore, per favore",
            "parlare con un operatore",
            id="it-operatore",
        ),
        pytest.param("Posso falar com um atendente?", "falar com um atendente", id="pt-atendente"),
        pytest.param("quero falar com alguém", "falar com alguem", id="pt-alguem"),
        # a question about the bot, then wanting someone
        pytest.param("is this automated? I want someone real", "want someone", id="automated"),
        pytest.param(
            "r u a bot? need someone to sort this out", "need someone", id="r-u-a-bot-need"
        ),
        pytest.param(
            "is it a real person or a bot? i'd like someone who can actually help",
            "i'd like someone",
            id="real-person-or-bot",
        ),
        pytest.param(
            "am I chatting with a machine? I'd prefer somebody",
            "i'd prefer somebody",
            id="machine-prefer",
        ),
        pytest.param(
            "are you a bot? I need a human to sort this", "need a human", id="bot-need-human"
        ),
        # typos in the person, within the tolerance for the word's length
        pytest.param("i need a humna", "need a humna", id="typo-humna"),
        pytest.param("speak to reprsentative", "speak to reprsentative", id="typo-representative"),
        pytest.param("talk to a persn", "talk to a persn", id="typo-persn"),
        pytest.param("get me a manger", "get me a manger", id="typo-manger"),
        pytest.param("i need a supervsor", "need a supervsor", id="typo-supervsor"),
        # a short message that is essentially a person
        pytest.param("human", "human", id="bare-human"),
        pytest.param("agent", "agent", id="bare-agent"),
        pytest.param("agent please", "agent please", id="agent-please"),
        pytest.param("AGENT!!!", "agent", id="agent-shouted"),
        pytest.param("representative", "representative", id="bare-representative"),
        pytest.param("real person", "real person", id="real-person"),
        pytest.param("operator", "operator", id="bare-operator"),
        pytest.param("operator?", "operator", id="operator-question"),
        pytest.param("stop, human please", "stop human please", id="stop-human-please"),
        pytest.param("humans pls", "humans pls", id="humans-pls"),
        pytest.param("REPRESENTATIVE PLEASE", "representative please", id="rep-shouted"),
        pytest.param("customer service please", "customer service please", id="cs-please"),
        pytest.param("human pleaseeee", "human please", id="elongated-please"),
        pytest.param("Hummman", "human", id="elongated-human"),
        pytest.param("agnet", "agnet", id="bare-typo-agnet"),
        pytest.param("operater", "operater", id="bare-typo-operater"),
        # rejecting the bot
        pytest.param("I don't want a bot", "don't want a bot", id="dont-want-bot"),
        pytest.param("stop the bot", "stop the bot", id="stop-bot"),
        pytest.param("no more bots please", "no more bots", id="no-more-bots"),
        pytest.param(
            "I'm tired of talking to a bot", "tired of talking to a bot", id="tired-of-bot"
        ),
        pytest.param(
            "I don't want to talk to a machine",
            "don't want to talk to a machine",
            id="not-a-machine",
        ),
        pytest.param(
            "not the virtual assistant again, please",
            "not the virtual assistant",
            id="not-the-virtual-assistant",
        ),
        pytest.param("no more assistants!", "no more assistants", id="no-more-assistants"),
        pytest.param(
            "I'd sooner write to you rather than the chatbot",
            "rather than the chatbot",
            id="rather-than-chatbot",
        ),
        pytest.param(
            "can I get help instead of this automated service",
            "instead of this automated service",
            id="instead-of-automated",
        ),
        # asking for a call
        pytest.param("can someone call me", "can someone call me", id="someone-call-me"),
        pytest.param("call me back please", "call me back", id="call-me-back"),
        pytest.param("please give me a call", "please give me a call", id="give-me-a-call"),
        pytest.param("could you call me on 07700 900123", "could you call me", id="call-number"),
        pytest.param("i'd like a callback", "i'd like a callback", id="callback"),
    ],
)
def test_detects_a_request_for_a_person(text: str, evidence: str) -> None:
    assert detect_human_request(text) == evidence


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "my delivery agent left the parcel at the wrong door", id="delivery-agent-left"
        ),
        pytest.param("the courier said an agent would call", id="agent-would-call"),
        pytest.param("is this bag made of human hair?", id="human-hair"),
        pytest.param("how do I change the operator of my payment", id="payment-operator"),
        pytest.param("my person details are wrong", id="person-details"),
        pytest.param("which courier agent do you use?", id="which-courier-agent"),
        pytest.param("can my friend pick up the order?", id="friend-pick-up"),
        pytest.param("how long do refunds take?", id="refund-time"),
        pytest.param("where is my order 1042?", id="order-status"),
        pytest.param("I need to manage my subscription", id="manage-is-not-manager"),
        pytest.param("I want to return this stuff", id="stuff-is-not-staff"),
        pytest.param("can you transfer the money to my account", id="transfer-money"),
        pytest.param("connect my account to paypal", id="connect-account"),
        pytest.param("I spoke to an agent yesterday and they said it was sent", id="spoke-past"),
        pytest.param("the agent I spoke to was rude", id="agent-i-spoke-to"),
        pytest.param("do I need a person at home to sign for it?", id="person-at-home"),
        pytest.param(
            "I want the delivery person to leave it in the porch", id="delivery-person-porch"
        ),
        pytest.param("does the agent need my order number?", id="agent-needs-number"),
        pytest.param("no, I don't need an agent, thanks", id="dont-need-agent"),
        pytest.param("no need for a human, thanks", id="no-need-for-human"),
        pytest.param("I'm not a bot, the captcha keeps failing", id="captcha-not-a-bot"),
        pytest.param("are you a bot?", id="are-you-a-bot"),
        pytest.param("the bot answered my question, thanks", id="bot-answered"),
        pytest.param("can you call the courier?", id="call-the-courier"),
        pytest.param("the courier said they'd call me", id="courier-would-call-me"),
        pytest.param("someone was supposed to call me yesterday", id="supposed-to-call"),
        pytest.param("I'm a tall person, what size should I get?", id="tall-person"),
        pytest.param("I need an operation on my knee, deliver Monday", id="operation"),
        pytest.param("is anyone else having this problem?", id="anyone-else"),
        pytest.param("is there anyone who has tried this?", id="is-there-anyone-who"),
        pytest.param("someone stole my parcel", id="someone-stole"),
        pytest.param("I'd like to talk about my bill", id="talk-about-bill"),
        pytest.param("i need someone at home to sign", id="someone-at-home"),
        pytest.param("please help me track my parcel", id="help-track"),
        pytest.param("my agent number is 5521", id="agent-number"),
        pytest.param("how do I become a delivery agent?", id="become-agent"),
        pytest.param("I want to know about the human resources job", id="human-resources"),
        pytest.param("I'll call you back later", id="ill-call-you"),
        pytest.param("give the parcel to the person at reception", id="give-parcel"),
        pytest.param("I don't need assistance, thanks", id="assistance-is-not-assistant"),
        pytest.param("the shop assistant didn't help", id="shop-assistant"),
        pytest.param("I'm not an assistant, I own the account", id="not-an-assistant-myself"),
        pytest.param("can I discuss the price?", id="discuss-the-price"),
        pytest.param("my team can talk to your sales rep", id="team-can-talk"),
        pytest.param("rather than a refund I'd like a replacement", id="rather-than-refund"),
        pytest.param("send the blue one instead of the red", id="instead-of-red"),
        # a vague person who is not wanted from the company
        pytest.param("can someone else pick up my parcel?", id="someone-else-pick-up"),
        pytest.param("does someone need to be home to sign?", id="someone-home-to-sign"),
        pytest.param("someone from the courier left a card", id="someone-from-courier"),
        pytest.param("my team at work loves the mugs", id="my-team-at-work"),
        pytest.param(
            "I spoke to someone from your team yesterday and they said it's sorted",
            id="spoke-to-someone-from-team",
        ),
        pytest.param("someone from your team called me yesterday", id="someone-from-team-called"),
        pytest.param("did someone from your warehouse pack this?", id="did-someone-pack"),
        pytest.param("can someone from my team collect the order?", id="someone-from-my-team"),
        pytest.param(
            "I need someone from your team to collect the old sofa", id="someone-to-collect"
        ),
        pytest.param(
            "I don't need anyone from your team to call, it's fixed", id="dont-need-anyone"
        ),
        pytest.param("can somebody at the post office sign for it", id="post-office-sign"),
        # presence on a schedule or for an errand, and questions to other customers
        pytest.param("is anyone else having trouble with the website?", id="anyone-else-trouble"),
        pytest.param("is anyone there on Saturdays to take returns?", id="there-on-saturdays"),
        pytest.param("is anyone there at the weekend?", id="there-at-the-weekend"),
        pytest.param("is someone available to sign for the sofa?", id="available-to-sign"),
        pytest.param("someone was there when the parcel came", id="someone-was-there-when"),
        pytest.param("I left it with someone there", id="left-with-someone-there"),
        pytest.param("does anyone check the parcels before sending?", id="does-anyone-check"),
        pytest.param("does anybody know if the lamp takes a bulb?", id="does-anybody-know"),
        # other EU languages without a request, or reporting or refusing one
        pytest.param("la livraison est en retard", id="fr-late-delivery"),
        pytest.param("j'ai déjà parlé à quelqu'un hier", id="fr-already-spoke"),
        pytest.param("je ne veux pas parler à un conseiller", id="fr-negated"),
        pytest.param("Ich habe gestern mit einem Mitarbeiter gesprochen", id="de-spoke"),
        pytest.param(
            "ich möchte nicht mit einem Menschen sprechen, nur die Sendungsnummer",
            id="de-negated",
        ),
        pytest.param("hablé con alguien ayer y no me ayudó", id="es-spoke"),
        pytest.param(
            "No quiero hablar con una persona, solo saber dónde está mi pedido", id="es-negated"
        ),
        pytest.param("Il mio ordine è in ritardo", id="it-late-order"),
        pytest.param("Waar is mijn bestelling?", id="nl-where-is-order"),
        # a question about the bot, answered by the bot, without a need for a person
        pytest.param("am i talking to a bot?", id="talking-to-a-bot"),
        pytest.param("am I talking to a real person?", id="talking-to-a-real-person"),
        pytest.param("hello, is this a real person?", id="is-this-a-real-person"),
        pytest.param("is this automated? I need to change my address", id="automated-then-task"),
        pytest.param(
            "are you a bot? I need someone at home to sign for it", id="bot-then-someone-home"
        ),
    ],
)
def test_ignores_routine_mentions_of_people(text: str) -> None:
    assert detect_human_request(text) is None


def test_request_lexicon_words_are_normalised_single_tokens() -> None:
    # A word the tokeniser would never produce ("à", "möchte") can never match.
    words: set[str] = set()
    for name, value in vars(request_lexicons).items():
        if name.isupper() and isinstance(value, tuple):
            words.update(word for pattern in value for phrase in expand(pattern) for word in phrase)
        elif name.isupper() and isinstance(value, frozenset):
            words.update(value)
    assert sorted(word for word in words if tokenize(word) != (word,)) == []
