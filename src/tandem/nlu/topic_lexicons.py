"""Lexicons of the sensitive topics a person must handle, as phrase patterns (normalised).

Patterns use the syntax of `tandem.nlu.text.expand`. Each topic has a typo-tolerant lexicon
(`FRAUD`); `*_EXACT` lexicons hold phrases whose tense or language carries the meaning, where a
typo's neighbours are other real words ("changed" and "change", "avvocato" and "avocado");
pairs (`FRAUD_INTRUDERS` with `FRAUD_INTRUDED`) reveal a topic only together.
"""

from __future__ import annotations

from tandem.nlu.lexicons import KIN

_DECEASED = f"{KIN}|he|she|who"
# "my late mother's affairs": the tokeniser keeps "'s" on the word. Plurals ("parents'") lose
# the apostrophe and stay as they are.
_KIN_POSSESSIVE = "|".join(f"{kin}'s" for kin in KIN.split("|") if not kin.endswith("s"))
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
    f"my|our late {KIN}|{_KIN_POSSESSIVE}",
)
# Winding up someone's affairs follows a death: "sorting out my dad's affairs".
BEREAVEMENT_EXACT = (
    f"{_KIN_POSSESSIVE} affairs",
    "sort|sorting|settle|settling|handle|handling|wind_up|winding_up his|her|their affairs|estate",
)
_STEALABLE = "card|cards|wallet|purse|details|identity|password|account|phone|code|voucher"
_REPEATEDLY = "three|3|four|4|five|5|six|6|seven|7|eight|8|nine|9|ten|10|multiple|several|numerous"
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
# Charged again and again: twice is a billing slip, three times is not.
FRAUD_EXACT = (
    f"charged|billed|debited|charging|billing {_REPEATEDLY} times",
    f"charged|billed|debited|charging|billing me|us|my_card|my_account {_REPEATEDLY} times",
)
# Someone else acting on the customer's account ("someone has logged into my account"),
# followed within a few words by what they took or changed.
_SOMEONE = "someone|somebody|someone's|somebody's|someone_else|somebody_else"
_INTRUDED = (
    "logged|got|gotten|broke|broken|hacked into|onto|in_to",
    "logged|signed in",
    "accessed|changed|stolen|stole|taken|took|used|redeemed|spent|emptied|drained|hijacked|opened",
)
_HAVE = "has|had|have|must_have|must've|may_have|might_have|could_have|has_just|just"
FRAUD_INTRUDERS = tuple(
    pattern
    for done in _INTRUDED
    for pattern in (f"{_SOMEONE} {done}", f"{_SOMEONE} {_HAVE} {done}")
)
FRAUD_INTRUDED = (
    "account|accounts|email|password|login|address|details|code|codes|voucher|vouchers"
    "|balance|points|card|cards|money|funds|pin|identity|paypal|savings|bank",
)
# Activity the customer disowns, named just before: "orders in my account I didn't place".
FRAUD_ACTIVITY = (
    "charge|charges|payment|payments|transaction|transactions|purchase|purchases|order|orders"
    "|debit|debits|withdrawal|withdrawals",
)
FRAUD_DISOWNED = (
    "i|we didn't|did_not|never|don't|do_not place|placed|authorise|authorize|authorised"
    "|authorized|recognise|recognize|request|requested|order|ordered|buy|bought",
    "i|we never make|made",
)
# A stranger to the shop finding its charge: "never ordered from you" with "on my card".
FRAUD_NEVER_CUSTOMER = (
    "never|never_even|not_even ordered|bought|shopped|purchased from|with|anything|here",
)
FRAUD_MONEY_TAKEN = (
    "on|from my|our card|cards|statement|bank|bank_statement|credit_card|debit_card|paypal",
    "from my|our account",
)
# A lure asking for secrets: "an email said I'd won and asked for my card details".
FRAUD_LURES = ("email|emails|text|texts|sms|message|messages|call|caller|whatsapp|link|letter",)
_ASKED = "asked|asking|asks|wanted|wants|requested|requesting"
_PRIVATE = "card|bank|account|login|security|payment|personal|sort_code|credit_card|debit_card"
_CREDENTIALS = "details|number|numbers|password|pin|code"
FRAUD_SECRETS_ASKED = (
    f"{_ASKED} for|me_for my|your|the {_PRIVATE} {_CREDENTIALS}",
    f"{_ASKED} for|me_for my|your details|password|pin|passcode",
    f"{_ASKED} me to confirm|enter|verify|update|give|send my|your {_PRIVATE} {_CREDENTIALS}",
)
# "that's not me" or "I didn't do this" about something done on the account.
FRAUD_NOT_ME = (
    "that's|that_is|that_was|this_is|it's|it_is|it_was not me|us",
    "wasn't|was_not me|us",
    "i|we didn't|did_not do this|that",
    "not done|placed|made|authorised|authorized by me|us",
)
FRAUD_ACCOUNT_EVENTS = (
    "changed|placed|logged|ordered|charged|accessed|redeemed|reset|signed_in|login|log_in",
)
_WHOSE = "my|his|her|their|our|your"
_BODY = (
    "hand|hands|finger|fingers|thumb|arm|arms|leg|legs|foot|feet|toe|toes|face|mouth|lip|lips"
    "|head|eye|eyes|shoulder|knee|knees|wrist|ankle|neck|tongue|skin|chin|nose|teeth"
)
_INJURED = (
    "burned|burnt|burn|cut|hurt|bruised|injured|scratched|scraped|sprained|broke|broken|trapped"
    "|crushed|scalded|grazed|split|gashed"
)
_INJURIES = (
    "bruised|swollen|bleeding|burnt|burned|cut|injured|broken|blistered|sprained|fractured"
    "|scarred|grazed"
)
_FELL = "fell|tipped|toppled|collapsed|crashed|falling|tipping|toppling"
_ONTO = "on|onto|over_onto|over_on|on_top_of|down_on"
HEALTH = (
    "allergic|anaphylactic|anaphylaxis|rash|injured|injury|injuries|hospital|hospitalised"
    "|hospitalized|poisoned|poisoning|electrocuted|ambulance|paramedics|bleeding|medical"
    "|scalded|choked|choking|exploded|smoke",
    "burned|burnt|burn|cut|hurt myself|himself|herself|themselves|ourselves",
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
# An injury done to someone's body: "cut his mouth", "scalded my hand".
HEALTH_EXACT = (
    f"{_INJURED} {_WHOSE} {_BODY}",
    "swallowed|concussion|concussed",
    "needed|need|had|got stitches",
    "x ray|rays",
)
# A body part, then what it suffered: "his shoulder is badly bruised".
HEALTH_BODY = (f"{_WHOSE} {_BODY}",)
HEALTH_INJURIES = (_INJURIES,)
# Furniture falling on a person: "the wardrobe toppled over onto my daughter".
HEALTH_FALLEN = (f"{_FELL} {_ONTO}",)
HEALTH_FALLEN_ON = ("me|him|her|them|us", f"{_WHOSE} {KIN}|{_BODY}")
# Having eaten something that may be unsafe: "we ate some of it, is it toxic?"
HEALTH_EATEN = ("eaten|ate|swallowed|drank|drunk|consumed|eating|drinking",)
HEALTH_DANGER = (
    "dangerous|harmful|toxic|poisonous|poison|hazardous|unsafe|sick|ill|vomiting|vomited",
)
# Something that does not belong in food: "a shard of glass in the jam".
HEALTH_FOREIGN_BODY = (
    "glass|metal|plastic|wire|shard|shards|splinter|splinters|insect|insects|bug|bugs|maggot"
    "|maggots|worm|worms|mould|mold|hair|bone|stone in|inside|into the|my|our|his|her",
)
HEALTH_FOOD = (
    "food|meal|drink|bottle|jar|oil|sauce|soup|tea|coffee|chocolate|chocolates|biscuit"
    "|biscuits|cake|bread|jam|honey|cheese|wine|juice|sandwich|pasta|rice|cereal|snack|snacks"
    "|sweets|hamper|tin|mouth",
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
# An EU shop hears legal threats in other languages too; each term is unambiguous there.
LEGAL_EXACT = (
    # French
    "avocat|avocats|tribunal|tribunaux|huissier|dgccrf",
    "porter|deposer|porterai|deposerai plainte",
    "une plainte contre",
    "action|poursuites en justice",
    "poursuivre en justice",
    "mise en demeure",
    "association|associations de consommateurs",
    # German
    "anwalt|anwaltin|rechtsanwalt|rechtsanwaltin|klage|verklagen|verklage|verbraucherzentrale"
    "|gerichtlich",
    "vor gericht",
    "anzeige erstatten",
    "rechtliche schritte",
    # Spanish
    "abogado|abogada|abogados|demandar|demandare|denuncia|denunciar|denunciare|juzgado|tribunales",
    "una|la demanda",
    "hoja de reclamaciones",
    # Dutch
    "rechtszaak|kantonrechter|consumentenbond|geschillencommissie",
    "mijn|een|onze advocaat",
    "advocaat inschakelen",
    "naar de rechter",
    "juridische stappen",
    "klacht indienen",
    "aangifte doen|gedaan",
    # Italian
    "avvocato|avvocati|tribunale|querela",
    "vie|azioni|azione|causa legali|legale",
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
    "want|wanna to be here|around|alive anymore|any_more",
    "wanna be here|around|alive anymore|any_more",
    "won't|will_not be around|here much|any longer",
    "won't|will_not be around|here for much|long",
    "won't|will_not be around|here anymore|any_more",
    "nothing left to live for",
    "nothing to live for",
    "better off without me",
)
# Saying goodbye for good: "I won't be around after Friday" with "I've made my decision".
SELF_HARM_GONE = ("won't|will_not be around|here|alive",)
SELF_HARM_FINAL = (
    "made my decision",
    "made up my mind",
    "my mind is made up",
    "won't|will_not be needing",
    "goodbye|farewell",
    "my affairs in order",
    "giving away my",
    "my last message",
)
_COGNITIVE = "dyslexia|dyspraxia|dyscalculia|adhd|aphasia|a_learning_disability"
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
    "learning disability|disabilities|difficulty|difficulties",
    f"i_have|i've|i've_got|i_suffer_from|diagnosed_with {_COGNITIVE}",
    "i'm|i_am dyslexic|dyspraxic",
    "special needs",
    "brain injury",
    "suffered a stroke",
    "had a stroke recently|last|and|so|since|in",
    "since|after my stroke",
    "cognitive impairment",
    "memory loss",
    "in my 80s|eighties|90s|nineties",
    "haven't|hasn't|have_not|has_not been able to afford|buy|get food|groceries|nappies|formula"
    "|essentials|medication|medicine",
    "couldn't|could_not|unable_to afford food|to_eat|rent|heating|bills|groceries|medication"
    "|nappies",
    "can't|cannot|couldn't|could_not afford to feed",
    "can't|cannot|couldn't|could_not feed my|the|our kids|children|family|baby",
    "no|not_enough money for|to_buy food|groceries|nappies|formula|rent|bills|heating",
    "nothing to eat",
    "no food in the house|fridge",
    "skipping|skipped meals",
    "mental health",
    "struggling financially",
    "lost my job",
    "in debt",
    "terminally ill",
)
