"""Lexicons for the less direct ways of asking for a person, all normalised.

Companions to the "asking for a person" section of `tandem.nlu.lexicons`: a vague person from
the company ("someone from your team"), checks that a person is there ("is anyone there?"),
questions about the bot's identity, and requests in the other languages of EU customers.
Patterns use the syntax of `tandem.nlu.text.expand`.
"""

from __future__ import annotations

# --- Someone from the company ------------------------------------------------------------------

# "someone from|at|in|on|of your team": what links a vague person to the company.
COMPANY_LINKS = frozenset({"at", "from", "in", "of", "on"})
# Words allowed between the person and the link: "can someone else from support look at this".
COMPANY_LINK_BRIDGE = frozenset({"else"})
_YOUR = "your|ur|yr"
_DEPARTMENT = (
    "customer_service|customer_services|customer_support|customer_care|customer_relations"
    "|client_services|support|returns|sales|complaints|refunds|billing|accounts|claims|warranty"
    "|aftercare|after_sales|management"
)
_UNIT = "team|department|desk|staff|office"
# The company or one of its parts; not "my team" nor "the courier".
COMPANY_UNITS = (
    f"{_YOUR} team|staff|company|shop|store|office|warehouse|business|department|side|end|lot",
    "the team|staff|company|shop|store|office|warehouse|business|department|management",
    _DEPARTMENT,
    f"{_YOUR}|the {_DEPARTMENT}",
    f"{_DEPARTMENT} {_UNIT}",
    f"{_YOUR}|the {_DEPARTMENT} {_UNIT}",
    "help|service|support desk",
    f"{_YOUR}|the help|service|support desk",
    f"{_YOUR}|the helpdesk",
)
# Questions put to a person of the company: "can somebody from customer care check this".
COMPANY_QUESTION_HEADS = frozenset(
    {
        "ask", "can", "can't", "cannot", "could", "couldn't", "may", "might", "please", "pls",
        "plz", "will", "would",
    }
)  # fmt: skip
# Softeners between the question and the person: "could maybe someone from support...".
COMPANY_QUESTION_FILLERS = frozenset({"just", "kindly", "maybe", "perhaps", "possibly"})

# --- Is anyone there? --------------------------------------------------------------------------

# Whom a presence check looks for: "anyone", "a real person", "any humans".
PRESENCE_PERSONS = (
    "someone|somebody|anyone|anybody",
    "a|an|any real|actual|live|human person|persons|human|humans|people|agent|agents|being|one",
    "a|any person|human|humans|agent|agents",
    "real|actual|live person|people|human|humans",
)
# Words that open a presence check: "hello, is anyone there", "is there anybody here".
PRESENCE_OPENERS = frozenset(
    {
        "are", "erm", "hallo", "hello", "helo", "hey", "hi", "hiya", "is", "ok", "okay",
        "please", "seriously", "so", "still", "there", "um", "yo",
    }
)  # fmt: skip
# Standing alone after openers, these ask whether anyone is there: "hello? anyone?".
BARE_PRESENCE_PERSONS = frozenset({"anybody", "anyone"})
PRESENCE_ADVERBS = frozenset(
    {"actually", "currently", "even", "ever", "genuinely", "really", "still", "truly"}
)
_READING = "reading|seeing|getting|receiving|checking|monitoring"
PRESENCE = (
    "there|here|around|available|online|awake|alive|listening|home",
    "out there",
    "there|here|available|online on the phone|line|chat",
    "on|at the other end|side|line",
    f"{_READING} this|these|that|it|my|me|messages",
    f"{_READING} the chat|messages",
    f"{_READING} my messages|message|chat|complaint|emails",
    "going to reply|answer|respond|help",
    "gonna reply|answer|respond|help",
)
# Words of the present moment after "at": "is anyone there at all?", "anyone online at the moment?".
PRESENCE_NOW = ("at all|present", "at the|this moment|minute|time")
# After the presence word, a time or place makes it a question about a schedule or a delivery:
# "is anyone there on Saturdays?", "is someone available to sign for it?".
PRESENCE_SCHEDULES = frozenset(
    {
        "after", "before", "between", "during", "evenings", "every", "in", "mornings", "on",
        "over", "overnight", "till", "tomorrow", "tonight", "until", "weekdays", "weekend",
        "weekends", "when", "monday", "mondays", "tuesday", "tuesdays", "wednesday",
        "wednesdays", "thursday", "thursdays", "friday", "fridays", "saturday", "saturdays",
        "sunday", "sundays",
    }
)  # fmt: skip
_ANYONE = "anyone|anybody|someone|somebody"
_READ = "this|these|here|my_messages|my_message|the_chat|this_chat|the_messages|messages"
_REPLIED = "here|to_this|to_these|to_my_messages|to_my_message|to_messages"
# Whole questions of presence: "am I talking to anyone?", "does anybody even read these?".
PRESENCE_QUESTIONS = (
    "am|are i|we talking|speaking|chatting|writing|typing to|with anyone|anybody|someone"
    "|somebody|myself|ourselves|nobody|no_one",
    "i'm|we're talking|speaking|chatting|writing|typing to|with myself|ourselves|nobody|no_one",
    f"does|do {_ANYONE} read|see|check|answer|monitor {_READ}",
    f"does|do {_ANYONE} actually|even|ever|really read|see|check|answer|monitor {_READ}",
    f"does|do {_ANYONE} reply|respond {_REPLIED}",
    f"does|do {_ANYONE} actually|even|ever|really reply|respond {_REPLIED}",
)

# --- Is this a bot? ----------------------------------------------------------------------------

_MACHINE = "bot|robot|ai|machine|computer|chatbot|program|human|person"
# A question about who answers. Alone the bot answers it; a need for a person after it counts.
BOT_QUESTIONS = (
    f"are|r you|u a|an {_MACHINE}",
    f"are|r you|u even|just|actually|really a|an {_MACHINE}",
    "are|r you|u a|an real|actual|live person|human|agent",
    "are|r you|u real|human|automated|automatic|ai|live",
    f"is|was this|it|that a|an {_MACHINE}",
    "is|was this|it|that a|an real|actual|live person|human|agent",
    "is|was this|it|that automated|automatic|ai",
    "is|was this|it|that an automated|automatic chat|reply|message|service|system",
    f"am i talking|speaking|chatting|writing to|with a|an {_MACHINE}",
    "am i talking|speaking|chatting|writing to|with a|an real|actual|live person|human|agent",
)

# --- Other languages ---------------------------------------------------------------------------

# Exact words only (accents are stripped by the tokeniser): "parle" and "hable" report a past
# conversation, one letter from "parler" and "hablar".
_FR_PERSON = (
    "conseiller|conseillere|agent|humain|operateur|operatrice|responsable|interlocuteur"
    "|interlocutrice|personne|employe|employee|vrai_humain|vraie_personne|etre_humain"
)
_DE_PERSON = (
    "menschen|mensch|mitarbeiter|mitarbeiterin|berater|beraterin|kundenberater"
    "|kundenberaterin|person|echten_menschen|richtigen_menschen|echten_person"
    "|menschlichen_mitarbeiter|menschlichen_berater"
)
_ES_PERSON = (
    "persona|agente|humano|operador|operadora|asesor|asesora|representante|empleado"
    "|persona_real|ser_humano"
)
_NL_PERSON = "medewerker|mens|persoon|echt_mens|echte_persoon|medewerkster"
_IT_PERSON = (
    "operatore|operatrice|persona|umano|addetto|addetta|agente|consulente|responsabile"
    "|persona_reale|essere_umano"
)
_PT_PERSON = (
    "pessoa|atendente|humano|agente|operador|operadora|consultor|consultora|representante"
    "|pessoa_real|ser_humano"
)
FOREIGN_REQUESTS = (
    # French
    "parler|discuter|echanger a|avec quelqu'un|quelquun|quelqu_un",
    f"parler|discuter|echanger a|avec un|une {_FR_PERSON}",
    "parler|discuter au service_client|conseiller|responsable",
    f"veux|voudrais|souhaite|souhaiterais|demande un|une {_FR_PERSON}",
    f"passez|passer moi un|une {_FR_PERSON}",
    f"un|une {_FR_PERSON} s'il|sil vous|te plait",
    f"un|une {_FR_PERSON} svp|stp",
    # German
    f"mit einem|einer|einen|nem {_DE_PERSON} sprechen|reden|telefonieren|chatten|verbinden",
    "mit jemandem sprechen|reden|telefonieren|chatten",
    "mit dem|einem kundenservice|kundendienst|support sprechen|reden|verbinden",
    f"mochte|moechte|will|brauche einen|eine {_DE_PERSON}",
    f"einen|ein|eine {_DE_PERSON} bitte",
    # Spanish
    "hablar|comunicarme|charlar con alguien",
    f"hablar|comunicarme|charlar con un|una {_ES_PERSON}",
    "hablar|comunicarme con atencion|servicio al cliente",
    f"quiero|necesito|quisiera un|una {_ES_PERSON}",
    f"un|una {_ES_PERSON} por favor",
    f"un|una {_ES_PERSON} porfavor|porfa",
    # Dutch
    f"met een|de {_NL_PERSON} spreken|praten|chatten",
    "met iemand spreken|praten|chatten",
    f"een {_NL_PERSON} spreken",
    f"wil|graag een {_NL_PERSON}",
    # Italian
    "parlare con qualcuno",
    f"parlare con un|una {_IT_PERSON}",
    "parlare con un'operatrice|un'addetta",
    f"voglio|vorrei un|una {_IT_PERSON}",
    f"un|una {_IT_PERSON} per favore",
    f"un|una {_IT_PERSON} perfavore",
    # Portuguese
    "falar com alguem",
    f"falar com um|uma {_PT_PERSON}",
    f"quero|preciso|gostaria_de um|uma {_PT_PERSON}",
    f"um|uma {_PT_PERSON} por favor",
)
# A negation just before a foreign request: "je ne veux pas parler à...", "no quiero hablar...".
FOREIGN_NEGATORS = frozenset(
    {"geen", "jamais", "kein", "keinen", "mai", "nao", "ne", "nicht", "niet", "no", "non", "pas"}
)
