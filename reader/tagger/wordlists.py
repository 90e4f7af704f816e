"""The reader's own closed word lists, as the tagger's features see them.

These are the lists the discovery rules already use (titles, company and
organisation endings, function words, demonyms...), written for the reader
and not taken from any corpus. They are the only words a feature may name.
"""

from __future__ import annotations

from reader import discovery as D

REPORTING_VERBS = frozenset(D._VERBS.replace("|", " ").split()) | frozenset(
    "say tell add according quoted quoting spokesman spokeswoman spokesperson".split()
)
EVENT_WORDS = frozenset(
    """
    conference forum summit expo exhibition festival games olympics olympic cup championship
    championships open tournament congress convention fair show week awards prize talks round
    war election elections
    """.split()
)
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
CHINESE_SURNAMES = frozenset(w.lower() for w in D.CHINESE_SURNAMES)

CLASSES: tuple[tuple[str, frozenset[str]], ...] = (
    ("title", D.TITLES),
    ("title1", D.SINGLE_NAME_TITLES),
    ("cotitle", D.CORPORATE_TITLES),
    ("cosfx", D.COMPANY_SUFFIXES),
    ("orgsfx", D.ORGANIZATION_SUFFIXES),
    ("legal", D.LEGAL_FORMS),
    ("ofhead", D.OF_HEADS),
    ("demonym", D.DEMONYMS),
    ("particle", D.PARTICLES),
    ("party", D.PARTY_WORDS),
    ("placeword", D.PLACE_WORDS),
    ("lead", D.LEAD_JUNK),
    ("nonperson", D.NON_PERSON_WORDS),
    ("generic", D.GENERIC_WORDS),
    ("event", EVENT_WORDS),
    ("month", MONTHS),
    ("day", DAYS),
    ("verb", REPORTING_VERBS),
    ("cnsurname", CHINESE_SURNAMES),
)

# Words that may appear by name in a feature: function words, titles, roles,
# endings, months, days and verbs of saying. Not the long list of non-person
# nouns, nor the surnames: those are seen through their class only.
CLOSED = (
    D.LEAD_JUNK
    | D.TITLES
    | D.SINGLE_NAME_TITLES
    | D.COMPANY_SUFFIXES
    | D.ORGANIZATION_SUFFIXES
    | D.OF_HEADS
    | D.PARTICLES
    | D.PLACE_WORDS
    | D.PARTY_WORDS
    | D.DEMONYMS
    | D.GENERIC_WORDS
    | D.LEGAL_FORMS
    | REPORTING_VERBS
    | EVENT_WORDS
    | MONTHS
    | DAYS
)

COMPOUND_TAILS = D.COMPOUND_TAILS

# Word endings that tell names, places and ordinary words apart, in the
# reader's own choice: the model sees only whether a word ends so.
SUFFIXES = tuple(
    sorted(
        """
        ing ed ly tion sion ment ness ity ous ive able ible ful less est ers ism ist ists ians
        ian ese ish ans son sen sson ez es ov ova ev eva sky ski ska enko uk vic vich ic
        berg burg stein stadt ville ton ford field land stan ia ija abad pur nagar
        ini ino elli etti ano ez az os as is us um ae ei ou ao ang eng ing ong ung
        ashi moto mura yama kawa ta da ko
        """.split(),
        key=len,
        reverse=True,
    )
)
