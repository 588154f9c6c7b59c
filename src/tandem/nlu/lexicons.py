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
        "christmas", "haven't", "past", "pasta", "passed", "posted", "rejecting", "replaying",
        "reporting", "resetting", "scammed", "seeing", "setting", "settling", "something",
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

# After "never" these make a superlative: "never been treated so badly", "never such a mess".
DEGREE_WORDS = frozenset({"so", "such", "this"})

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
    "unacceptable|ridiculous|ludicrous|absurd|useless|furious|livid|fuming|outraged"
    "|outrageous|pathetic|disgrace|disgraceful|disgusting|appalling|atrocious|scandalous"
    "|incompetent|incompetence|infuriating|infuriated|angry|annoyed|annoying|frustrated"
    "|frustrating|hopeless|unbelievable|appalled|disgusted|horrified|irritated|irritating"
    "|exasperated|exasperating|seething",
    # "Worst" alone is a verdict (a complaint); "worst ... ever" is an outburst.
    "worst ever",
    "worst service|company|shop|experience|customer_service ever",
    # Exasperation: "for god's sake", "I've had it up to here", "I'm done waiting".
    "for god's|gods|goodness|heaven's|heavens|christ's|pete's|pity's sake",
    "for crying out loud",
    "are you serious",
    "had it up to here",
    "up to here with",
    "done waiting",
    "more than patient",
    "losing|lost my temper|rag",
    "repeat|repeating myself",
    "copy paste|pasted",
    "copy and paste",
    "don't|do_not send me another",
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
    "how many more|bloody|damn times|weeks|days|months|hours",
    "how many times",
    f"{_NTH} time",
    # A failure that keeps happening: "the third broken plate", "my fourth email".
    f"{_NTH} broken|damaged|smashed|cracked|faulty|defective|wrong|missing|failed|cancelled"
    "|missed|email|emails|call|calls|chat|complaint|message|request|refund|attempt|replacement",
    # Disbelief: "are you kidding me?", "you've got to be joking".
    "kidding|joking me",
    "got|have to be kidding|joking",
    "you can't|cannot be serious",
    "having a laugh",
    f"{_CHASED} {_SEVERAL} times",
    f"{_CHASED} you {_SEVERAL} times",
    "waste of my|your time",
    "waste of time",
    "wasting my time",
    "rip off",
    "ripoff",
    "not acceptable",
    "with all due respect",
    "hate you|this|your|these",
    "daylight robbery",
    "last straw",
    "losing|lost my patience",
    "had it with",
    # Disbelief that a simple task fails: "how hard can it be to deliver a chair??".
    "how hard|difficult can|could it be",
    "how hard|difficult is it",
    "been|being|keep_being|keep_getting ignored",
    "ignoring me|us|my",
)
# Nobody responding, a few words apart: "nobody has answered", "why does nobody ever reply".
NOBODY = ("nobody|no_one|noone",)
NOBODY_RESPONDS = (
    "help|helps|helped|care|cares|cared|listen|listens|listened|respond|responds|responded"
    "|reply|replies|replied|answer|answers|answered|called|rang|bothered|bothers",
    "get|gets|got|came back",
    "called|rang|phoned back",
    "got in touch",
)
# "leave it next door if nobody answers": nobody responding is then only a possibility.
CONDITIONALS = frozenset({"case", "if", "unless", "when", "whenever"})
NOBODY_OWNS = ("take|takes|taken|taking|accept|accepted|accepts responsibility",)
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
    "sick with worry",
    "lost everything",
    f"my {KIN} is|was|has_been|went in|into hospital|intensive_care",
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
    "waste of money|my_money",
    "wasting my money",
    "expected|expect better",
    "bad|negative review",
    "one|1 star",
    "trustpilot",
    "report you",
    # How staff treated the customer: "the agent was rude", "a dismissive reply".
    f"{_BEHAVED} {_RUDE}",
    f"{_RUDE} {_STAFF}",
    "unacceptable",
    "not acceptable",
    "badly|poorly made|packed|handled|treated|designed|built|finished|managed|organised|organized",
    "treated|handled|packed|made so|very|really|extremely|this badly|poorly",
    "fell|came|fallen|come apart",
    "gone|went|going downhill",
    "expected|expect much|far|way|a_lot|so|far_far better|more",
    "disgusted|appalled|horrified with|by|at",
    "want|like|need|wish to escalate",
    "please escalate",
    "escalate my|this|the complaint",
)
# What a customer judges, and the verdicts that make the judgement a grievance, a few words
# apart in either order: "your customer service has been very poor", "worst shopping experience".
JUDGED = (
    "service|services|support|quality|communication|website|site|app|packaging|product|products"
    "|company|shop|store|workmanship|experience|aftercare|handling|process|courier|couriers"
    "|furniture",
    "customer service|care|support",
)
VERDICTS = (
    "poor|terrible|awful|shocking|appalling|dreadful|abysmal|atrocious|rubbish|useless|shoddy"
    "|substandard|disgraceful|lacking|nonexistent|worst|lousy|pathetic|diabolical|inadequate"
    "|garbage|junk|trash",
    "non existent",
    "a|an|such_a|complete|total|absolute|utter mess|shambles|disgrace|farce|joke",
    "not good enough",
    "not up to scratch",
)
# Mild disappointment: negative, though no grievance ("that's a shame, I was looking forward").
DISAPPOINTMENT = (
    "shame|pity|sadly|gutted|sad|saddened|disheartened|bummed",
    "not great|ideal news",
    "not ideal",
    "not thrilled",
    "was|were really|so hoping",
    "isn't|wasn't|aren't|weren't|not what i|we hoped|expected|wanted",
    "isn't|wasn't|aren't|weren't|not as good as i|we hoped|expected",
    "was|were|had_been really|so looking forward",
)
# A plea and what hangs on it, anywhere in one message: "please help, the baby is due".
PLEAS = (
    "please help",
    "help please",
    "please hurry",
    "please please",
    "urgently need",
    "really|badly|desperately need it|this|the",
)
STAKES = (
    "newborn|pregnant|pregnancy|rent|bills|medication|medicine|wheelchair",
    "the|my|our baby arrives|is_due|is_coming|comes",
    "due date",
    "no money",
)
# Coarse words that are only an exclamation at one's own slip: "damn, I forgot my password".
SELF_EXCLAMATIONS = frozenset({"argh", "bugger", "crap", "damn", "dammit", "darn", "oops"})
SELF_SUBJECTS = frozenset({"i", "i'd", "i'm", "i've", "my"})

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
