"""How customers say it versus how help centres write it: query-side expansion.

General customer-service vocabulary (not any one company's): each entry adds the help-centre
words to a query that uses the customer's words, so lexical retrieval finds the right article.
"""

from __future__ import annotations

import re

# customer phrase (regular expression, whole words) -> help-centre terms added to the query
CUSTOMER_TERMS: tuple[tuple[str, str], ...] = (
    (r"money back|get (?:my )?money|reimburse\w*|refunded", "refund"),
    (r"send (?:it |this |them |stuff |something )?back|sending back|take back", "return"),
    (r"postage|p&p|delivery charge|delivery fee", "shipping cost delivery"),
    (r"parcel|package|packet", "delivery order"),
    (r"arrive|arrival|get here|come|turn up", "delivery"),
    (r"guarantee|guarantees|broke down|stopped working|faulty|defective", "warranty"),
    (r"smashed|broken|cracked|dented|shattered", "damaged"),
    (r"tomorrow|tomorow|next day|overnight|asap|urgent", "express next-day delivery"),
    (r"pick up|pickup|collect|locker", "click collect pickup point"),
    (r"sign up|register|make an account|open an account", "create account"),
    (r"log ?in|sign in|signin", "login account password"),
    (r"forgot(?:ten)? (?:my )?password|can'?t remember (?:my )?password", "reset password"),
    (r"2fa|two step|two-step|authenticator|verification code", "two-factor login"),
    (r"close (?:my )?account|remove (?:my )?account", "delete account"),
    (r"unsubscribe|newsletters?|stop (?:sending|emailing)|spam", "marketing emails unsubscribe"),
    (r"my data|personal data|gdpr|data protection", "privacy data request"),
    (r"pay later|instal?ments?|split (?:the )?payment|klarna", "pay later instalments"),
    (r"declined|rejected|didn'?t go through|won'?t go through", "failed payment"),
    (r"voucher|promo|coupon", "discount code"),
    (r"receipt|vat|tax invoice", "invoice"),
    (r"wrong (?:item|product|thing)|different (?:item|product)|not what i ordered", "wrong item"),
    (r"missing|not in the box|didn'?t get all|only got", "missing items"),
    (r"where(?:'s| is) my|track\w*|status", "track order status"),
    (r"late|delayed|hasn'?t (?:arrived|come)|still not here|not arrived", "delayed delivery"),
    (r"lost|never (?:arrived|came)|disappeared", "lost parcel"),
    (r"swap|exchange|different size|different colou?r", "exchange"),
    (r"cancel\w*", "cancel order"),
    (r"change|amend|edit|modify|add (?:something|an item)", "change order"),
    (r"assembl\w*|put together|build|instructions|manual|screws?", "assembly instructions"),
    (r"recall\w*|unsafe|overheat\w*|hot", "product safety recall"),
    (r"opening hours|open|hours|when can i (?:call|reach|contact)", "contact hours support"),
    (r"shop|store|showroom|visit", "store locations"),
    (r"points|rewards?|loyalty", "pine points loyalty"),
    (r"wrap|wrapping|gift message|present", "gift wrapping"),
    (r"cheaper|price match|lower price|price drop", "price match"),
    (r"student|uni|university|college", "student discount"),
    (r"abroad|overseas|international|countries|country", "shipping countries"),
    (r"customs|duty|duties|import tax", "customs duties"),
    (r"eco|plastic|recycl\w*|sustainab\w*|cardboard", "sustainable packaging"),
    (r"sofa|couch|bed|wardrobe|furniture|table", "furniture"),
    (r"gift ?card", "gift card"),
    (r"confirmation (?:e-?mail )?(?:not|never)|no confirmation", "order confirmation not received"),
)

_COMPILED = tuple(
    (re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), terms) for pattern, terms in CUSTOMER_TERMS
)


def expand(query: str) -> str:
    """Return ``query`` followed by the help-centre terms its customer phrasing implies."""
    added = [terms for pattern, terms in _COMPILED if pattern.search(query)]
    return query if not added else f"{query} {' '.join(added)}"
