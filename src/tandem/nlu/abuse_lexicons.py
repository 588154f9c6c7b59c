"""Lexicons of abusive language: profanity, insults, whom they are aimed at, and threats.

Patterns use the syntax of `tandem.nlu.text.expand`; word sets are normalised.
"""

from __future__ import annotations

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
        "scumbags", "thief", "thieves", "scammer", "scammers", "fraudster", "fraudsters",
        "charlatan", "charlatans", "amateurs", "incompetents",
    }
)  # fmt: skip
# Insulting phrases, aimed wherever they stand: "what a useless excuse for a chatbot".
INSULT_PHRASES = (
    "useless|pathetic|sorry|poor|feeble|lame|miserable excuse for",
    "waste of space|oxygen",
    "con artist|artists|men",
    "joke of a company|business|shop|firm|service|website",
    # Questions that insult: "are you thick?", "r u deaf or something".
    "are|r you|u thick|dense|daft|deaf|illiterate|stupid|dumb|slow|brainless|braindead",
    "you're|you_are|ur so|that|really|just thick|dense|daft",
)
# Said to someone, these are abuse without any insulting word: "go to hell", "screw you".
DISMISSALS = (
    "go to hell",
    "screw you|u|yourself|yourselves|the_lot_of_you",
    "shut up",
    "shutup",
    "piss|sod|bugger off",
    "eat shit",
    "get stuffed",
    "drop dead",
    "wrong with you|u people|lot|guys|all",
)
# Coarse words that insult when aimed at someone or something of theirs: "shit service".
AIMABLE_PROFANITY = frozenset({"crap", "crappy", "shit", "shite", "shitty"})
# Insulting adjectives are abuse only when aimed: "you useless bot", not "the lid is useless".
INSULT_ADJECTIVES = frozenset(
    {
        "brainless", "clueless", "dumb", "hopeless", "idiotic", "ignorant", "incompetent",
        "moronic", "pathetic", "stupid", "useless", "worthless", "braindead",
    }
)  # fmt: skip
# Insulting phrases that, like the adjectives, must be aimed: "are you brain dead?".
AIMED_INSULT_PHRASES = ("brain dead",)
ADDRESSEES = frozenset(
    {"u", "ur", "y'all", "yall", "you", "you're", "you've", "your", "yours", "ya"}
)
ADDRESSED_NOUNS = frozenset(
    {
        "agent", "agents", "bot", "business", "chatbot", "company", "firm", "guys", "idiots",
        "lot", "machine", "people", "shop", "staff", "team",
    }
)  # fmt: skip
# What else a coarse word may be aimed at: "shit service" insults those who give it.
AIMED_AT_SERVICE = frozenset({"service", "customer"})
# An insult near these words is aimed at the writer: "I felt like an idiot".
SELF_REFERENCES = frozenset({"feel", "felt", "i", "i'm", "i've", "like", "me", "myself"})
# Threats, veiled or not: "you'll regret this", "keep ignoring me and see what happens".
THREATS = (
    "i know where you live|work",
    # Not "your office is": a customer may want to collect in person.
    "i know where your staff|driver|drivers|boss|ceo|manager live|lives",
    "you'll|you_will|you're_gonna|you're_going_to|you'd_better|you_better be sorry",
    "i'll|i_will|i'm_gonna|i'm_going_to|i'm_coming_to find|hunt you",
    "i'm|i_am coming for you",
    "i'll|i_will|i'm_gonna|i'm_going_to kill|hurt|punch|stab|strangle|batter|throttle you|him|her"
    "|them",
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
# Violence the writer announces, then whom or what it would hurt: "I'll smash your driver's face".
VIOLENT_INTENT = (
    "i'll|i_will|i'm_gonna|i'm_going_to|i'd|i_would|i_swear_i'll smash|punch|kick|break|bash"
    "|batter|deck|slap|stab|kill|strangle|hurt|beat|thump|throttle|burn",
)
# Pronouns are left out ("I'll break it to you gently"); open threats to a person are THREATS.
VICTIMS = (
    "face|faces|head|heads|legs|leg|teeth|nose|jaw|neck|skull|arms|arm|warehouse|office|van",
)
