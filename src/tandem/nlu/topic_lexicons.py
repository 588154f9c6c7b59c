"""Lexicons of the sensitive topics a person must handle, as phrase patterns (normalised).

Patterns use the syntax of `tandem.nlu.text.expand`.
"""

from __future__ import annotations

from tandem.nlu.lexicons import KIN

_DECEASED = f"{KIN}|he|she|who"
BEREAVEMENT = (
    "death|deaths|bereavement|bereaved|deceased|funeral|funerals|probate|executor|executors"
    "|widow|widowed|widower|cremation",
    "passed away",
    "pass away",
    "passing of",
    "estate of",
    f"{_DECEASED} died",
    f"{_DECEASED} has|had|have|is|was|just died|dead",
    f"{_DECEASED} has|had just died",
    "he's|she's dead",
    f"lost my|our {KIN}",
    f"my|our late {KIN}",
)
_STEALABLE = "card|cards|wallet|purse|details|identity|password|account|phone"
_CHARGE = "charge|charges|transaction|transactions|payment|payments|purchase|purchases|order"
FRAUD = (
    "fraud|fraudulent|fraudster|fraudsters|scam|scams|scammed|scammer|scammers|phishing|hacked"
    "|hacker|hackers|hacking|compromised",
    "identity theft",
    "someone|somebody used my card|account|details|identity|paypal",
    f"unauthorised|unauthorized {_CHARGE}|orders|access|login|use",
    "not authorised|authorized",
    "didn't|never order|ordered|buy|bought this|that|these|it|anything",
    "did not order|buy this|that|these|it|anything",
    f"didn't|never make|made|place|placed|authorise|authorize this|that|these|the|any {_CHARGE}",
    "don't|didn't recognise|recognize this|that|these|the|a",
    "do not recognise|recognize",
    f"stolen {_STEALABLE}",
    f"{_STEALABLE} stolen",
    f"{_STEALABLE} was|were|got|is stolen",
    f"{_STEALABLE} has|have|had been stolen",
    f"stole my {_STEALABLE}",
    "cloned card",
    "card cloned",
    "card was|been cloned",
    "suspicious email|text|call|link|message|transaction|transactions|activity|charge|login",
    "fake email|website|site|text|message",
)
HEALTH = (
    "allergic|anaphylactic|anaphylaxis|rash|injured|injury|injuries|hospital|hospitalised"
    "|hospitalized|poisoned|poisoning|electrocuted|ambulance|paramedics|bleeding|medical"
    "|scalded|choked|choking|exploded|smoke",
    "burned|burnt|burn|cut|hurt myself",
    "burned|burnt|cut|hurt my hand|hands|finger|fingers|arm|leg|foot|face|mouth",
    "got|was burned|burnt|hurt",
    "emergency room",
    "caught|catches fire",
    "caught|catches on fire",
    "on|set fire",
    "burst into flames",
    "in flames",
    "started|began smoking",
    "smoking from|out",
    "electric shock",
    "sparks came|coming|flying|from|out",
    "gave me a shock",
    "made|making me|us|him|her|them sick|ill",
    f"made|making my {KIN} sick|ill",
    "choking hazard",
    "see|saw|seeing a|my doctor",
    "my gp",
)
LEGAL = (
    "lawyer|lawyers|solicitor|solicitors|attorney|attorneys|barrister|lawsuit|litigation"
    "|ombudsman|suing|sued|gdpr",
    "sue you|your|the|them|this|u|for",
    "to|will|i'll|i'd|could|can|gonna sue",
    "legal action|advice|proceedings|claim|steps|team|route|case|matter",
    "take|taking|took legal",
    "take|taking you|this|them|it|us to court",
    "see you in court",
    "small claims",
    "court action|case|claim|order|proceedings|date",
    "county court",
    "trading standards",
    "consumer rights|protection",
    "statutory rights",
    "my legal rights",
    "breach of contract",
    "letter before action",
    "cease and desist",
    "class action",
    "data protection",
    "subject access request",
    "section 75",
)
SELF_HARM = (
    "suicide|suicidal|selfharm",
    "kill|kil|killing myself",
    "kms",
    "end|ending my life",
    "end it all",
    "take|taking my own life",
    "self harm|harming",
    "harm|harming myself",
    "want|going|planning|tempted to hurt|harm|cut myself",
    "wanna|gonna hurt|harm|cut myself",
    "thinking about|of hurting|harming|cutting myself",
    "don't|do_not want to live|be_alive|be_here|exist|go_on",
    "no reason|point to live|living|go_on",
    "not worth living",
    "better off dead",
    "wanna die",
    "want to die",
    "wish i was|were dead",
    "can't go on",
)
VULNERABILITY = (
    "disability|disabilities|wheelchair|carer|caregiver|elderly|pensioner|foodbank|dementia"
    "|alzheimer's|alzheimers|autism|autistic|homeless|unemployed|bailiffs|hardship|chemo"
    "|chemotherapy|cancer",
    "i'm|i_am disabled|blind|deaf|housebound|pregnant|vulnerable|homeless|depressed",
    "i'm|i_am partially sighted",
    "i'm|i_am visually impaired",
    "i'm|i_am hard of hearing",
    "i'm|i_am|i've_been|been in hospital",
    "registered disabled|blind",
    f"disabled person|people|customer|{KIN}",
    "my disabled",
    "visually impaired",
    "partially sighted",
    "hard of hearing",
    "i care for",
    "caring for my",
    "can't|cannot afford food|to_eat|rent|heating|bills|groceries|medication|nappies",
    "can't|cannot afford my|the rent|heating|bills",
    "food bank|banks",
    "domestic abuse|violence",
    "abusive partner|husband|wife|ex|relationship",
    "learning disability|disabilities|difficulties",
    "mental health",
    "struggling financially",
    "lost my job",
    "in debt",
    "terminally ill",
)
