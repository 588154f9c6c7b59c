"""Tandem's customer-service lexicons: phrase patterns and word sets, all normalised.

Patterns use the syntax of `tandem.nlu.text.expand`: words split on spaces, alternatives on "|".
"""

from __future__ import annotations

# Real words one or two edits from a lexicon word, found by checking every lexicon against an
# English word list; they only ever match exactly ("outage" is not "outraged").
NEAR_MISSES = frozenset(
    {
        # asking for a person
        "assistance", "assisting", "contract", "customs", "furnished", "manage", "managed",
        "manages", "manners", "operate", "operated", "operates", "operation", "operations",
        "representation", "stiff", "stuff", "stuffs", "superior", "supervise", "supervised",
        "supervision", "transform",
        # emotion and abuse
        "appealing", "applying", "complacent", "complaisant", "compliant", "complied", "complying",
        "digesting", "discussing", "disguising", "disputing", "disrupting", "face", "fare", "force",
        "idioms", "ignoring", "lived", "loses", "lovers", "outage", "outages", "outdated", "packed",
        "packing", "picked", "picking", "pricked", "pricking", "rained", "sacred", "samples",
        "scaled", "scored", "shading", "shaming", "shaping", "shared", "sharing", "shaving",
        "soaking", "soared", "spared", "stared", "streaked", "streamed", "streaming", "terribly",
        "terrific", "testified", "troubling", "unbelievably", "wanting", "washing", "worse",
        # sensitive topics
        "artistic", "banister", "barrier", "bedding", "beeping", "behaved", "bending", "berated",
        "blending", "blessing", "braved", "breeding", "buried", "cancel", "cancelled", "closed",
        "comprised", "cooked", "cooking", "count", "creation", "creations", "dearth", "decayed",
        "deceived", "declared", "decrease", "decreased", "decreases", "defeated", "demented",
        "depth", "depths", "durability", "employed", "excluded", "execute", "executed", "execution",
        "expanded", "expended", "exploited", "explore", "explored", "exposed", "hopeless",
        "hospitable", "identify", "inquires", "inquiries", "insured", "insures", "layer", "layers",
        "limitation", "phasing", "poised", "polishing", "prisoner", "punishing", "pushing",
        "scanners", "scatters", "simmers", "slammed", "solicited", "solicits", "spammed", "spammer",
        "spammers", "stammer", "summers", "swimmers", "windowed",
    }
)  # fmt: skip

NEGATORS = frozenset(
    {
        "aren't", "didn't", "doesn't", "don't", "isn't", "never", "no", "not", "wasn't",
        "weren't", "won't", "wouldn't",
    }
)  # fmt: skip

# Words that may stand between a negation and what it negates: "not so angry", "not the worst".
NEGATION_SOFTENERS = frozenset(
    {
        "a", "all", "an", "at", "be", "been", "exactly", "feeling", "really", "so", "that",
        "the", "too", "very",
    }
)  # fmt: skip

# People whose death or illness a customer may mention; pets count for bereavement.
KIN = (
    "mum|mom|mother|mam|mummy|mommy|dad|father|daddy|husband|wife|partner|son|daughter|child"
    "|baby|brother|sister|grandma|grandmother|gran|granny|nan|nana|nanna|grandad|granddad"
    "|grandpa|grandfather|grandson|granddaughter|aunt|auntie|uncle|fiance|fiancee|boyfriend"
    "|girlfriend|friend|cousin|nephew|niece|parents|dog|cat"
)

# --- Asking for a person ---------------------------------------------------------------------

HUMAN_TARGETS = (
    "human|humans|person|persons|agent|agents|representative|representatives|rep|reps"
    "|operator|operators|advisor|advisors|adviser|advisers|staff|manager|managers|supervisor"
    "|supervisors",
    "customer service|services|support|care|team",
    "support team|staff|agent|desk",
    "help desk",
    "helpdesk",
    "service desk",
    "member of staff|the_team",
    "staff|team member",
    "human being|beings",
)
# Too vague alone ("I need someone at home"): they count only after a verb of speaking.
VAGUE_TARGETS = ("someone|somebody|anyone|anybody|people",)
# A target followed by one of these is part of another noun ("human hair", "agent number").
TARGET_COMPOUNDS = frozenset(
    {
        "account", "body", "code", "details", "error", "errors", "fee", "fees", "hair", "id",
        "login", "name", "number", "portal", "remains", "resources", "rights", "skin",
    }
)  # fmt: skip
SPEAK_VERBS = (
    "talk|speak|chat|connect|transfer|reach|contact|escalate|discuss",
    "put|pass|hand me through|over",
    "put through",
    "can|could|may i have|get",
)
WANT_VERBS = (
    "want|wanna|need|get|give|prefer|request|demand",
    "i'd|id|would like|prefer",
    "is|are there",
)
# Groups that stand for a person when the customer asks to talk to them: "a team I can talk to".
TEAM_NOUNS = frozenset({"department", "team"})
# Words allowed between a verb and its target: "speak to a real person", "get me a manager".
REQUEST_BRIDGE = frozenset(
    {
        "a", "actual", "an", "another", "back", "different", "directly", "genuine", "human",
        "immediately", "in", "it", "just", "live", "me", "now", "of", "one", "over", "please",
        "pls", "proper", "real", "right", "see", "some", "straight", "the", "this", "through",
        "to", "touch", "us", "with", "your",
    }
)  # fmt: skip
# What may surround a bare target in a short message: "agent please", "stop, human!!".
SHORT_REQUEST_FILLERS = frozenset(
    {
        "a", "actual", "again", "an", "asap", "can", "could", "get", "give", "hello", "hey",
        "hi", "i", "i'd", "immediately", "just", "like", "live", "me", "need", "now", "ok",
        "okay", "please", "plis", "pls", "plz", "proper", "real", "right", "seriously",
        "speak", "stop", "talk", "thank", "thanks", "the", "to", "urgently", "want", "yes",
        "you",
    }
)  # fmt: skip
BOT_REJECTIONS = (
    "don't|not|no|never|stop|quit|hate|enough|without",
    "no more",
    "rather not|than",
    "instead of",
    "done|finished with",
    "sick|tired of|with",
    "fed up of|with",
)
BOT_TERMS = (
    "bot|bots|robot|robots|chatbot|chatbots|ai|machine|machines|computer|assistant|assistants",
    "automated system|service|replies|responses|answers|messages",
    "virtual|ai assistant",
    "auto reply|replies",
)
BOT_BRIDGE = frozenset(
    {
        "a", "an", "another", "any", "automated", "being", "bloody", "chat", "chatting", "damn",
        "deal", "dealing", "from", "just", "like", "more", "need", "of", "some", "speak",
        "speaking", "stupid", "talk", "talking", "that", "the", "this", "to", "useless",
        "wanna", "want", "with", "your",
    }
)  # fmt: skip
CALLBACKS = (
    "call|ring|phone me back|today|now|asap",
    "call|ring|phone me",
    "give me a call|ring|bell",
    "a call|ring back",
    "a callback|call",
    "a phone call",
)
# A callback phrase counts when one of these comes just before it (or it opens the message)...
CALLBACK_MARKERS = frozenset(
    {
        "anybody", "anyone", "arrange", "can", "could", "get", "hello", "hey", "hi",
        "i'd", "just", "kindly", "like", "need", "ok", "okay", "please", "pls", "request",
        "somebody", "someone", "u", "urgently", "want", "you",
    }
)  # fmt: skip
# ...and none of these does: they report a call rather than ask for one.
CALLBACK_REPORTS = frozenset(
    {
        "didn't", "don't", "meant", "never", "promised", "said", "says", "should", "stop",
        "supposed", "told", "was", "were", "won't",
    }
)  # fmt: skip

# --- Emotion ---------------------------------------------------------------------------------

_CHASED = "asked|told|called|emailed|written|contacted|messaged|chased|phoned|rung"
_SEVERAL = "three|3|four|4|five|5|several|multiple|many|countless|numerous"
_NTH = "third|fourth|fifth|sixth|3rd|4th|5th|6th|umpteenth|nth|hundredth"
ANGER = (
    "unacceptable|ridiculous|ludicrous|absurd|useless|worst|furious|livid|fuming|outraged"
    "|outrageous|pathetic|disgrace|disgraceful|disgusting|appalling|atrocious|scandalous"
    "|incompetent|incompetence|infuriating|infuriated|angry|annoyed|annoying|frustrated"
    "|frustrating|hopeless|unbelievable",
    "fed up",
    "sick of",
    "sick and tired",
    "sick to death",
    "had enough",
    "enough is enough",
    "never again",
    "a|absolute|complete|total|utter|what|bad joke",
    "beyond a joke",
    "still waiting|nothing",
    "how many more|bloody|damn times",
    "how many times",
    f"{_NTH} time",
    # A failure that keeps happening: "the third broken plate", "my fourth email".
    f"{_NTH} broken|damaged|smashed|cracked|faulty|defective|wrong|missing|failed|cancelled"
    "|missed|email|emails|call|calls|chat|complaint|message",
    # Disbelief: "are you kidding me?", "you've got to be joking".
    "kidding|joking me",
    "got|have to be kidding|joking",
    "you can't|cannot be serious",
    "having a laugh",
    f"{_CHASED} {_SEVERAL} times",
    f"{_CHASED} you {_SEVERAL} times",
    "waste of my|your time|money",
    "waste of time|money",
    "wasting my time|money",
    "rip off",
    "ripoff",
    "not acceptable",
    "nobody|no_one helps|cares|listens|responds|replies|answers",
    "with all due respect",
    "hate you|this|your|these",
    "daylight robbery",
    "last straw",
    "losing|lost my patience",
    "had it with",
)
DISTRESS = (
    "desperate|desperately|panicking|panicked|panic|crying|distraught|devastated|heartbroken"
    "|terrified|scared|frightened|anxious|anxiety|stressed|stressful|stressing|overwhelmed"
    "|helpless|upset|ruined|sobbing",
    "in tears",
    "please help me",
    "help me please",
    "i'm begging",
    "begging you",
    "don't|do_not know what to do",
    "don't|do_not know what else to do",
    "no idea what to do",
    "at my wit's|wits end",
    "wit's|wits end",
    "end of my tether",
    "can't|cannot cope",
    "beside myself",
    "falling apart",
    "breaking down",
    "freaking out",
    "so|really|very|extremely worried",
    "worried sick",
    "last|only hope",
    "absolute|total|complete|utter|living nightmare",
    "been|such a nightmare",
    "i'm|i_am|i'm_literally|i_am_literally shaking|trembling",
    "my hands are shaking|trembling",
    "everything is|keeps|everything's going wrong",
    "everything has|everything's gone wrong",
    "anything anyone can do",
    "can't|cannot take it|this anymore|any_more",
    "can't|cannot take any more",
    "don't|do_not know where to turn",
    "at breaking point",
    "losing my mind",
)
_RUDE = (
    "rude|dismissive|unprofessional|condescending|patronising|patronizing|disrespectful"
    "|unhelpful|arrogant"
)
# Not "be" or "being": "not to be rude, but..." is politeness.
_BEHAVED = "is|was|were|are|been|so|very|really|extremely|incredibly|quite|downright|utterly"
_STAFF = (
    "agent|agents|staff|advisor|adviser|person|people|driver|courier|man|woman|lady|guy|team"
    "|reply|replies|response|responses|answer|email|emails|message|manner|attitude|service"
)
COMPLAINT = (
    "complaint|complaints|complain|complaining|complained|unhappy|dissatisfied|unsatisfied"
    "|disappointed|disappointing|disappointment|terrible|awful|horrible|dreadful|abysmal"
    "|rubbish|lousy",
    "not happy|satisfied|impressed|pleased",
    "not so|very|too|that|really happy|satisfied|impressed|pleased",
    "poor|bad service|quality|communication|experience",
    "poor|bad customer service",
    "let me|us down",
    "let down",
    "not good enough",
    "expected|expect better",
    "bad|negative review",
    "one|1 star",
    "trustpilot",
    "report you",
    # How staff treated the customer: "the agent was rude", "a dismissive reply".
    f"{_BEHAVED} {_RUDE}",
    f"{_RUDE} {_STAFF}",
    "want|like|need|wish to escalate",
    "please escalate",
    "escalate my|this|the complaint",
)
# Problem-report words VADER scores as negative although they describe facts, not feelings.
ROUTINE_PROBLEM_WORDS = frozenset(
    {
        "bad", "broke", "broken", "cancel", "canceled", "cancelled", "charged", "crack",
        "cracked", "damage", "damaged", "dead", "declined", "defective", "delay", "delayed",
        "die", "died", "error", "errors", "fail", "failed", "failure", "fault", "faulty",
        "fraud", "issue", "issues", "kill", "leak", "leaking", "lose", "lost", "miss",
        "missing", "mistake", "no", "poor", "problem", "problems", "reject", "rejected",
        "scam", "sorry", "steal", "stolen", "stuck", "trouble", "unfortunately", "worry",
        "wrong",
    }
)  # fmt: skip

# Praise that is sarcastic when a problem stands next to it: "well done, third broken plate".
SARCASTIC_PRAISE = (
    "well done",
    "bravo",
    "nice one",
    "great|good|top|nice|fantastic|brilliant|excellent|amazing|stellar job|work|effort|stuff",
    "absolutely|just|simply|oh|truly|really brilliant|great|fantastic|wonderful|marvellous"
    "|perfect|superb|amazing|lovely|fabulous",
    "thanks for nothing",
)
# Only plain failures: "again", "third" or "never" sit as often in real praise ("great again").
SARCASM_PROBLEMS = (
    "broken|damaged|smashed|cracked|shattered|dented|scratched|leaking|ruined|missing|wrong"
    "|late|lost|faulty|defective",
)
# Real praise thanks someone or contrasts with the problem: "well done, but one was broken".
GENUINE_PRAISE = frozenset(
    {
        "although", "appreciate", "appreciated", "but", "cheers", "except", "fixed",
        "grateful", "however", "resolved", "sorted", "thank", "thanks", "thankyou", "though",
        "thx",
    }
)  # fmt: skip

# --- Abuse -----------------------------------------------------------------------------------

STRONG_PROFANITY = frozenset(
    {
        "arsehole", "arseholes", "asshole", "assholes", "bastard", "bastards", "bellend",
        "bitch", "bitches", "bullshit", "cocksucker", "cunt", "cunts", "dickhead", "dickheads",
        "dumbass", "effing", "fck", "fcking", "fckin", "fk", "fking", "fkn", "fuck", "fucked",
        "fucker", "fuckers", "fuckin", "fucking", "fucks", "fuckwit", "fuk", "fukin", "fuking",
        "gtfo", "knobhead", "motherfucker", "motherfucking", "prick", "pricks", "retard",
        "retarded", "shithead", "shitheads", "stfu", "tosser", "tossers", "twat", "twats",
        "wanker", "wankers", "whore",
    }
)  # fmt: skip
MILD_PROFANITY = frozenset(
    {
        "arse", "ass", "bloody", "bugger", "crap", "crappy", "damn", "damned", "dammit",
        "ffs", "goddamn", "hell", "omfg", "piss", "pissed", "shit", "shite", "shitty", "wtf",
    }
)  # fmt: skip
# Insulting nouns are aimed at someone wherever they stand ("bunch of clowns").
INSULT_NOUNS = frozenset(
    {
        "clown", "clowns", "cretin", "cretins", "crook", "crooks", "dimwit", "halfwit",
        "idiot", "idiots", "imbecile", "imbeciles", "jerk", "jerks", "liar", "liars", "loser",
        "losers", "moron", "morons", "muppet", "muppets", "numpty", "scum", "scumbag",
        "scumbags", "thief", "thieves",
    }
)  # fmt: skip
# Insulting adjectives are abuse only when aimed: "you useless bot", not "the lid is useless".
INSULT_ADJECTIVES = frozenset(
    {
        "brainless", "clueless", "dumb", "hopeless", "idiotic", "ignorant", "incompetent",
        "moronic", "pathetic", "stupid", "useless", "worthless",
    }
)  # fmt: skip
ADDRESSEES = frozenset(
    {"u", "ur", "y'all", "yall", "you", "you're", "you've", "your", "yours", "ya"}
)
ADDRESSED_NOUNS = frozenset(
    {"agents", "bot", "company", "idiots", "lot", "machine", "people", "staff", "team"}
)
# An insult near these words is aimed at the writer: "I felt like an idiot".
SELF_REFERENCES = frozenset({"feel", "felt", "i", "i'm", "i've", "like", "me", "myself"})
# Threats, veiled or not: "you'll regret this", "keep ignoring me and see what happens".
THREATS = (
    "i know where you live|work",
    "watch your back",
    "you've|you_have been warned",
    "you'll|you_will|you're_going_to|you're_gonna|you_are_going_to regret",
    "or|or_else see|watch what happens",
)
PROVOCATIONS = (
    "keep|go_on|carry_on ignoring",
    "ignore|ignoring me|us",
    "i dare you",
)
CONSEQUENCES = ("see|watch what happens",)
