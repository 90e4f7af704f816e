"""Discovery: the people and organisations an article names that the curated
list (``entities.yaml``) does not hold yet.

News prose introduces a new name in a small number of set ways, and those are
what the rules below look for, so that nothing is reported without a reason the
user can read in the evidence sentence:

* people by a title or role next to the name ("Premier Gao Renwei", "analyst
  Karen Holt", "Zhou Minghao, chief technology officer of ...") or by a
  reporting verb ("Holt said", "said Karen Holt", "according to ...");
* organisations by their form (a capitalised name ending in Group, Capital,
  Institute, Ministry, ... or "Bank of ...") or by context ("an analyst at
  Morrow Research", "Ant Group executive chairman ...").

Only the standard library is used: a statistical model would find more names,
but it would also find them without a stated reason and would make every
article read slower. The rules' regular expressions are compiled once, at
import; the text is cut into capitalised words once per article.

A discovered name never overlaps a known mention and never repeats a name of
the list, so confirming it later cannot create a duplicate. The same rules that
decide a family name ("Zhou" after "Zhou Minghao", "Holt" after "Karen Holt")
also give the known people their later short references (``short_references``).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from reader.entities import EntityList, name_key
from reader.matcher import Mention

if TYPE_CHECKING:
    from reader.tagged_names import Reading

PERSON = "person"
COMPANY = "company"
ORGANIZATION = "organization"
PLACE = "place"
EVENT = "event"
ORG_KINDS = (COMPANY, ORGANIZATION)

# --------------------------------------------------------------------------
# Word lists. They are lower-case; every comparison lower-cases the word.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


APOSTROPHES = "'’‘"

# Capitalised only because they start a sentence or a headline, or page
# furniture left behind by a web page: never the first word of a name.
LEAD_JUNK = _words(
    """
    the a an this that these those its it his her their our my your we they he she i you
    but and or nor so yet if when while after before since until as at in on of for from to
    by with without about despite although though because earlier later meanwhile however
    also still now then today yesterday tomorrow tonight last next every each some many most
    more several other another both all any no not only even just such what who whom whose
    which where why how there here under over between among amid amidst against during
    through throughout across into onto upon via per like unlike including instead indeed
    further furthermore moreover besides overall finally first second third according asked
    speaking separately elsewhere nevertheless nonetheless otherwise thus therefore hence
    former senior past late recently currently previously already once twice again perhaps maybe
    photo photos picture pictures advertisement advert sponsored video videos watch read
    reading listen share related note update updated breaking exclusive opinion analysis
    explainer live subscribe sign follow click source sources credit file getty image images
    caption time min mins minute minutes top home menu search skip newsletter comments
    monday tuesday wednesday thursday friday saturday sunday
    mon tue tues wed thu thur thurs fri sat sun
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    yes oh well okay ok please thanks dear
    """
)

DEMONYMS = _words(
    """
    chinese american british japanese german french indian russian korean taiwanese european
    asian african australian canadian mexican brazilian italian spanish dutch swiss swedish
    norwegian danish finnish polish turkish iranian iraqi israeli palestinian saudi arab
    arabian egyptian nigerian kenyan indonesian malaysian singaporean thai vietnamese filipino
    pakistani bangladeshi afghan ukrainian belgian austrian irish scottish welsh english greek
    portuguese argentine argentinian chilean colombian peruvian venezuelan cuban emirati
    qatari kuwaiti syrian lebanese jordanian libyan moroccan algerian tunisian ethiopian
    ghanaian south-african hungarian czech slovak romanian bulgarian serbian croatian
    latin nordic scandinavian soviet mainland western eastern northern southern hongkonger
    americans chinese-american asean arabic hispanic muslim christian jewish catholic
    """
)

# Countries, regions and big cities that the wire copy names often. The list is
# only a safety net for texts read without an entity list (the list's own places
# are always used too): they are never people, and never an organisation by
# context ("an analyst in Hong Kong").
PLACE_NAMES = frozenset(
    name_key(p)
    for p in """
    Afghanistan|Albania|Algeria|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahrain|
    Bangladesh|Belarus|Belgium|Bolivia|Bosnia|Botswana|Brazil|Britain|Brunei|Bulgaria|Cambodia|
    Cameroon|Canada|Chile|China|Colombia|Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|
    Denmark|Ecuador|Egypt|El Salvador|England|Estonia|Ethiopia|Europe|Finland|France|Georgia|
    Germany|Ghana|Greece|Guatemala|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|
    Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kuwait|Laos|Latvia|Lebanon|
    Libya|Lithuania|Luxembourg|Macau|Macao|Malaysia|Mali|Malta|Mexico|Mongolia|Morocco|
    Mozambique|Myanmar|Burma|Nepal|Netherlands|Holland|New Zealand|Nicaragua|Niger|Nigeria|
    North Korea|Norway|Oman|Pakistan|Panama|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|
    Romania|Russia|Rwanda|Saudi Arabia|Scotland|Senegal|Serbia|Singapore|Slovakia|Slovenia|
    Somalia|South Africa|South Korea|Korea|Spain|Sri Lanka|Sudan|Sweden|Switzerland|Syria|
    Taiwan|Tanzania|Thailand|Tunisia|Turkey|Uganda|Ukraine|United Arab Emirates|
    United Kingdom|United States|United States of America|America|Uruguay|Uzbekistan|
    Venezuela|Vietnam|Wales|Yemen|Zambia|Zimbabwe|West Germany|East Germany|Soviet Union|
    Hong Kong|Beijing|Shanghai|Shenzhen|Guangzhou|Hangzhou|Tokyo|Osaka|Seoul|Taipei|Mumbai|
    New Delhi|Delhi|Bangalore|Jakarta|Manila|Bangkok|Hanoi|Kuala Lumpur|Sydney|Melbourne|
    London|Paris|Berlin|Frankfurt|Bonn|Brussels|Geneva|Zurich|Rome|Milan|Madrid|Lisbon|
    Amsterdam|Stockholm|Oslo|Moscow|Istanbul|Dubai|Abu Dhabi|Riyadh|Tehran|Cairo|Lagos|
    Nairobi|Johannesburg|New York|Washington|Chicago|Los Angeles|San Francisco|Silicon Valley|
    Boston|Toronto|Vancouver|Ottawa|Mexico City|Sao Paulo|Rio de Janeiro|Buenos Aires|
    Wall Street|Middle East|Latin America|North America|South America|Southeast Asia|
    Asia|Africa|Asia Pacific|Asia-Pacific|Global South|Global North|Greater Bay Area|
    Mainland China|Taiwan Strait|South China Sea|Persian Gulf|Gulf
    """.replace("\n", "").split("|")
    if p.strip()
) | frozenset(
    # The US states as the news agencies' style books abbreviate them
    # ("Sunnyvale, Calif."), with and without the full stop.
    name_key(p) + end
    for p in """Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|
    Mont|Neb|Nev|N.H|N.J|N.M|N.Y|N.C|N.D|Okla|Ore|Pa|R.I|S.C|S.D|Tenn|Vt|Va|Wash|W.Va|Wis|Wyo""".replace(
        "\n", "").split("|")
    for end in ("", ".")
    if len(p.strip()) > 2 or "." in p  # "Ga", "La", "Mo", "Pa", "Va" alone are too often something else
)

# Words that can start a place name but not a person's name.
PLACE_WORDS = _words(
    """
    north south east west northern southern eastern western central upper lower new saudi
    united great greater global hong kong wall mainland middle latin inner outer
    """
)

# Titles in front of a name ("Premier Li Qiang", "Deputy Governor Shen Yuqing").
TITLES = _words(
    """
    premier president vice prime minister secretary chancellor governor deputy mayor senator
    sen rep representative congressman congresswoman chairman chairwoman chairperson chair
    chief executive ceo cto cfo coo director analyst economist strategist professor prof dr
    mr mrs ms miss mx sir dame lord lady judge justice general gen admiral adm colonel col
    lieutenant lt captain capt sergeant sgt ambassador commissioner spokesman spokeswoman
    spokesperson founder co-founder cofounder king queen prince princess pope sheikh emir
    sultan crown speaker leader treasurer comptroller inspector detective officer coach
    bishop archbishop cardinal rabbi imam reverend rev father councillor councilor envoy
    president-elect vice-president vice-premier state-councillor dean lecturer researcher
    scientist engineer manager partner head counsel attorney lawyer auditor marshal managing
    exchequer staff
    """
)

# Titles strong enough to introduce a name of one word ("President Reagan",
# "Mr Holt"); a role such as "analyst" is not ("analyst Smith" is rare, and
# "Analyst Day" is common).
SINGLE_NAME_TITLES = _words(
    """
    premier president chancellor governor senator sen rep mayor minister secretary chairman
    chairwoman ambassador judge justice general gen admiral colonel col captain capt king
    queen prince princess pope sheikh emir sultan dr mr mrs ms miss mx prof professor sir
    dame lord lady commissioner speaker councillor bishop archbishop cardinal rabbi reverend
    rev president-elect inspector detective sergeant lieutenant
    """
)

# Titles that are held at a company: the words in front of them in the same
# capitalised run name the company ("IBM Chairman John Akers").
CORPORATE_TITLES = _words(
    """
    chairman chairwoman chairperson chief executive ceo cto cfo coo founder co-founder
    cofounder analyst economist strategist spokesman spokeswoman spokesperson director
    """
)

# Abbreviated titles that may carry a full stop ("Mr. Baker", "Dr. Zhou").
DOTTED_TITLES = _words("mr mrs ms dr prof gen sen rep gov lt col capt sgt adm rev st jr sr")

# Name particles that may sit inside a person's or an organisation's name.
PARTICLES = _words("van von de der den da di du del della le la bin ibn al ter ten dos das y")

# Endings of a company name, and of other organisations' names.
COMPANY_SUFFIXES = _words(
    """
    group groups technologies technology tech holdings holding capital inc incorporated corp
    corporation co cos company companies ltd limited llc llp lp plc ag sa nv bv gmbh spa bhd
    kk bank bancorp bankshares securities systems labs laboratories robotics motors motor
    partners industries electronics electric pharmaceuticals pharma therapeutics biotech
    airlines airways semiconductor semiconductors software networks investments ventures
    enterprises brothers bros media telecom telecommunications logistics energy petroleum
    resources mining insurance financial trust shipping chemicals chemical foods steel
    automotive studios entertainment solutions devices instruments dynamics aerospace
    microsystems interactive consulting associates management advisors advisers realty
    properties developments construction railways cosmetics
    """
)
ORGANIZATION_SUFFIXES = _words(
    """
    institute institution university academy association ministry agency fund foundation
    council commission committee authority exchange federation union organization
    organisation bureau board department office party society court parliament congress
    senate assembly college school centre center alliance reserve community coalition
    consortium league club chamber secretariat administration police army navy forces guard
    service cabinet government observatory hospital museum library laboratory corps command
    tribunal nations
    """
)
# Legal forms that may follow another suffix ("Lumina Robotics Co Ltd").
LEGAL_FORMS = _words("inc incorporated corp co cos ltd limited llc llp lp plc ag sa nv bv gmbh spa bhd kk")

# Heads that take an "of" phrase: "Bank of Communications", "Ministry of Commerce".
OF_HEADS = _words(
    """
    bank university academy institute ministry department association federation council
    commission committee organization organisation office bureau board chamber society
    college school faculty centre center court league union agency fund foundation party
    government secretariat administration exchange corporation company assembly church
    museum library hospital
    """
)
COMPANY_OF_HEADS = _words("bank corporation company exchange")
# Heads whose "of" phrase may go on with "and" ("Department of Geopolitics and
# International Relations"); for a bank it would join two names instead.
AND_HEADS = _words("department ministry institute school faculty centre center office bureau commission committee academy university")

# Party labels: "a Texas Democrat", "Senate Republican leader ...", "Democratic
# senator ..." describe people without naming an organisation.
PARTY_WORDS = _words(
    """
    democrat democrats democratic republican republicans socialist socialists conservative
    conservatives liberal liberals labour labor communist communists green greens tory tories
    nationalist nationalists independent
    """
)

# Words of events, places and things: never part of a person's name.
NON_PERSON_WORDS = (
    _words(
        """
        conference forum summit expo exhibition festival award awards prize cup games olympics
        olympic league meeting session declaration resolution agreement treaty act law bill
        policy plan programme program project initiative strategy report index fellow
        candidate doctoral day week year month news post times daily journal herald tribune
        review magazine press online internet web app model models language intelligence
        artificial governance good all action roles women men people state province city county
        district region street road avenue square park hall tower building airport station port
        bridge river lake sea ocean bay island islands mountain mountains valley hill republic
        kingdom empire emirates states dynasty era age war revolution world earth moon sun god
        stock market markets big chip chips robot robots data cloud digital smart old little
        grand high low top senior junior jr sr ii iii iv reuters ai government ministry
        national international federal royal imperial public private foreign domestic
        economic economy finance trade commerce industry science health education defence
        defense energy security technology research development affairs relations
        el los las les il house
        """
    )
    | PARTY_WORDS
    | COMPANY_SUFFIXES
    | ORGANIZATION_SUFFIXES
    | OF_HEADS
    | TITLES
    | LEAD_JUNK
    | DEMONYMS
    | PLACE_WORDS
)

# Adjectives that describe rather than name: "Big Tech", "Major Bank".
GENERIC_WORDS = _words(
    """
    big small major minor top leading local foreign domestic private public other several
    many various largest biggest smaller larger key main certain major-league mid-sized
    central national development international
    """
)
_NOT_DISTINCTIVE = COMPANY_SUFFIXES | ORGANIZATION_SUFFIXES | LEAD_JUNK | TITLES | DEMONYMS | GENERIC_WORDS

# Hyphenated endings that make a compound adjective ("Shanghai-based",
# "Tencent Holdings-backed"), as opposed to hyphenated given names ("Jae-in").
COMPOUND_TAILS = _words(
    """
    based led backed owned listed run made funded born controlled linked style era related
    focused centric bound wide level free friendly specific dominated like type speaking
    sized sponsored affiliated registered headquartered oriented driven powered trained
    educated leaning held operated built designed produced approved appointed elected
    supported themed branded friendly proof ready backed bred raised grown in-law
    """
)

# Prefixes written with a hyphen: the word they start is one word.
HYPHEN_PREFIXES = _words("co re pre non anti pro post ex mid semi multi inter sub self cross over under counter")

# Two- to six-letter acronyms that are not organisations.
NOT_ORG_ACRONYMS = _words(
    """
    us usa uk uae ussr ai it tv pc gdp gnp cpi ppi ceo cfo cto coo ipo llm llms gpu gpus
    cpu cpus am pm usd rmb hkd eur gbp jpy yuan hk prc dpr id ok vs est gmt utc covid sars
    aids hiv vip faq pdf url ecu ecus sdr sdrs psbr eep amt mca mcas pct dlrs mln bln
    """
)

# Common romanised Chinese (and a few Korean) family names. A name that starts
# with one, followed by a given name that reads as pinyin, is in family-name-first
# order: its short reference is the first word ("Zhou" for "Zhou Minghao").
CHINESE_SURNAMES = frozenset(
    """
    Li Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Gao Lin Luo Zheng
    Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du
    Ye Cheng Wei Su Lu Ding Ren Shen Yao Jin Fu Zhong Cui Tan Fan Shi Qiu Qin Jia Xia Fang
    Hou Zou Xiong Meng Qu Mao Bai Kong Lai Mo Wen Ou Gu Hao Yi Xiang Yan Duan Lei Qian Tao
    Wan Qi Long Chang Shao Kang Huo Ke Ji Gong Xue Mei Zhan Niu Yin Lei Bi Dai Fei Hong
    Jing Kou Lian Lou Miao Ning Pang Rao Sha Tong Wen Xin Yue Zang Zhai Zuo Chu Geng Hua
    Wong Chan Cheung Leung Lau Ho Chow Lam Ng Tse Yip Fung Tsang Kwok Lee Chiu Tsai Hsu
    Chiang Lo Yeung Kim Park Choi Jung Kang Cho Yoon
    """.split()
)

# One syllable of pinyin (also Wade-Giles and Cantonese spellings, loosely):
# an initial, one to three vowels and an optional final nasal.
_PINYIN_NAME = re.compile(r"(?:(?:zh|ch|sh|hs|ts|[bpmfdtnlgkhjqxrzcsyw])?[aeiouüv]{1,3}(?:ng|n|r)?){1,3}")

# --------------------------------------------------------------------------
# Context patterns around a candidate name.

_VERBS = (
    r"said|says|told|tells|added|adds|noted|notes|stated|states|explained|wrote|writes|warned|"
    r"argued|commented|insisted|replied|announced|recalled|acknowledged|admitted|conceded|"
    r"predicted|estimated|declared|urged|asked|suggested|believes|thinks|expects|expected|"
    r"estimates|cautioned|stressed|emphasised|emphasized|confirmed|denied|disclosed"
)
# "Holt said", "Mao Ning's stated" (a typo the wire copy does make).
_SPEECH_AFTER = re.compile(rf"(?:[{APOSTROPHES}]s)?\s+(?:also\s+|later\s+|then\s+)?(?:{_VERBS})\b")
# "said Karen Holt", "according to Zhou Minghao".
_SPEECH_BEFORE = re.compile(r"(?<![\w-])(?:said|says|told|added|according\s+to|quoted|quoting)\s+$", re.IGNORECASE)
# What may follow a name introduced by "said ...": the end of the clause or a role.
_CLAUSE_END = re.compile(rf"(?:[{APOSTROPHES}]s)?\s*(?:$|[,.;:!?)\"”’]|\s+(?:who|of|at|from|in)\b)")
# "John Smith, 45, said".
_AGE_AFTER = re.compile(r",\s+\d{1,3},")

_ROLE_WORDS = (
    r"co-?founder|founder|chairman|chairwoman|chairperson|chair|chief|executive|officer|president|"
    r"vice|director|managing|general|manager|partner|analyst|economist|strategist|"
    r"spokes(?:man|woman|person)|professor|researcher|scientist|minister|secretary|governor|"
    r"premier|senator|ambassador|adviser|advisor|lawyer|attorney|head|leader|deputy|"
    r"entrepreneur|billionaire|investor|founding|senior|technology|technical|financial|"
    r"operating|ceo|cto|cfo|coo|editor|engineer|consultant|trader|boss|owner|official|"
    r"commissioner|mayor|fellow|lecturer|dean|actor|actress|author|writer|journalist|coach|"
    r"associate|assistant|principal|lead|former|then|current|incoming|outgoing|acting|"
    r"research|investment|portfolio|fund|equity|market|markets|policy|product|marketing|"
    r"sales|operations|communications|strategy|business|global|regional|country|team"
)
_ROLE_HEADS = (
    r"co-?founder|founder|chairman|chairwoman|chairperson|executive|officer|president|"
    r"director|manager|partner|analyst|economist|strategist|spokes(?:man|woman|person)|"
    r"professor|researcher|scientist|minister|secretary|governor|premier|senator|ambassador|"
    r"adviser|advisor|lawyer|attorney|leader|entrepreneur|billionaire|investor|ceo|cto|cfo|"
    r"coo|editor|engineer|consultant|trader|boss|owner|commissioner|mayor|fellow|lecturer|"
    r"dean|actor|actress|author|writer|journalist|coach|head|chief"
)
# A lower-case role right before the name: "analyst Karen Holt", "Baidu co-founder,
# chairman and chief executive Robin Li Yanhong", "spokesperson, Mao Ning".
_ROLE_BEFORE = re.compile(
    rf"(?<![\w-])(?P<phrase>(?:(?:{_ROLE_WORDS})(?:,?\s+and\s+|,\s+|\s+))*(?:{_ROLE_HEADS}))s?,?\s+$"
)
# The role and its organisation first, then the name: "the head of Bank of
# Mexico, Miguel Mancera Aguayo, said".
_ROLE_OF_BEFORE = re.compile(
    rf"(?<![\w-])(?:{_ROLE_HEADS})s?\s+(?:of|at)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’&.-]*\s+(?:(?:of|and|for|the|&)\s+)*){0,6}[A-Z][\w'’&.-]*,\s+$"
)
# An appositive role after the name: "Zhou Minghao, chief technology officer of
# ...", "Elena Vasquez, a partner at ...", "Wang Jian, founder of ...".
_ROLE_AFTER = re.compile(
    rf"(?:[{APOSTROPHES}]s)?,\s+(?:(?:the|a|an|its|his|her|their|who\s+is|now|then|also|"
    rf"and|currently)\s+)*(?:[\w{APOSTROPHES}&.-]+\s+){{0,5}}?(?:{_ROLE_HEADS})s?\b"
)
# A role held at an organisation: "an analyst at Morrow Research", "a spokesperson
# for ...", "chief executive of ...", "researchers from the ...".
_ROLE_AT = re.compile(
    r"(?<![\w-])(?P<role>analyst|economist|strategist|spokes(?:man|woman|person)|executive|"
    r"officer|chairman|chairwoman|president|founder|co-founder|director|partner|researcher|"
    r"professor|manager|trader|engineer|scientist|fellow|lawyer|adviser|advisor|official|"
    r"employee|investor|shareholder|head|ceo|cto|cfo|member)s?\s+(?:at|of|for|with|from)\s+(?:the\s+)?$"
)
# Roles after which the organisation is most likely a company.
_COMPANY_ROLES = frozenset(
    "analyst economist strategist executive officer chairman chairwoman founder co-founder "
    "partner trader investor shareholder ceo cto cfo employee manager".split()
)
_ROLE_PREPOSITIONS = frozenset(("at", "of", "for", "with", "from"))
# A noun for a kind of organisation right before the name: "investment firm
# Citic Group", "the official newspaper El Peruano", "news agency Xinhua".
# The first group names organisations only; after the second ("developer
# Li Ka-shing") a name shaped like a person's is left to the person rules.
_ORG_NOUNS = {
    noun: kind
    for nouns, kind in (
        ("newspaper daily weekly tabloid publisher broadcaster firm company carrier airline lender "
         "insurer brokerage conglomerate chipmaker carmaker automaker retailer consultancy bank "
         "start-up startup subsidiary", COMPANY),
        ("agency regulator watchdog university institute ministry", ORGANIZATION),
    )
    for noun in nouns.split()
}
_AMBIGUOUS_ORG_NOUNS = {noun: COMPANY for noun in "developer maker manufacturer operator group fund investor".split()}
_OF_JOIN = re.compile(r" of (?:the )?$")
_AND_JOIN = re.compile(r" and $")
# "Organization of Petroleum Exporting Countries (OPEC)".
_ACRONYM_AFTER = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z&]{1,7})\)")
# Nouns after which a capitalised run only qualifies them: "members of the
# Reagan cabinet", "a director of the Shanghai office".
_ATTRIBUTIVE = re.compile(
    r" (?:cabinet|administration|government|team|camp|family|side|delegation|office|offices|"
    r"branch|unit|plan|proposal|policy|policies|talks|meeting|market|markets|region|area|era|"
    r"years|case|project|programme|program|deal|bid|offer|stake|shares|board|staff)\b"
)
# A capitalised run that only qualifies a committee: "a House Energy subcommittee".
_MODIFIER_OF = re.compile(r" (?:subcommittees?|committees?|panels?|division|divisions)\b")
_VERB_AFTER = re.compile(rf"\s+(?:{_VERBS})\b")
# What an organisation does in a sentence: "the EC agreed", "the IMF approved".
# Not "is" or "will": an event does those too ("the WAIC is likely to ...").
_ACRONYM_ACTS = re.compile(
    rf"\s+(?:{_VERBS}|agreed|decided|plans|planned|wants|wanted|approved|rejected|imposed|lifted|"
    r"proposed|launched|cut|raised|granted|ruled|voted|adopted|accepted|sold|bought|lent|"
    r"reported|issued|intervened|repeated|reiterated)\b"
)

# Particles written onto the name: "al-Sabah", "bin-Talal", "d'Estaing".
_GLUED_PARTICLES = r"(?:al|el|ad|as|ash|at|ar|az|bin|ibn|abu|ben|bint)-|d['’]"
# Upper-case letters of the Latin, Greek and Cyrillic blocks: ``re`` has no
# Unicode category classes, and names are only ever looked for in capitalised
# words, so only those are cut out of the text (the rest is never tokenised).
_UPPER = "".join(
    c for r in ((0x41, 0x250), (0x370, 0x530), (0x1E00, 0x1F00)) for c in map(chr, range(*r)) if c.isupper()
)
# Capitalised words with inner hyphens and apostrophes ("O'Brien", "Jae-in",
# "Holding's", "Shanghai-based"); the word is cut below. No look-behind: it
# would stop ``re`` from skipping ahead to the next capital, and this pattern
# runs over every character of every article.
_RAW_WORD = re.compile(rf"[{re.escape(_UPPER)}]\w*(?:[-'’‘]\w+)*")
_GLUED_PREFIX = re.compile(rf"(?:{_GLUED_PARTICLES})")
_GLUED_BEFORE = re.compile(rf"(?<![\w-])(?:{_GLUED_PARTICLES})$")
# Punctuation around a word, stripped before looking at its case.
_PUNCTUATION = "\"'“”‘’.,;:!?()[]{}<>/\\|*_+=~`@#$%^&…—–-"
_WORD_CHAR = re.compile(r"\w")
# Sentence ends inside a paragraph: terminal punctuation, closing quotes, space,
# then something that can start a sentence.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*|\n(?=[ \t]{2,}\S)")
# Title-like quotations ("'Governing Al for Good and for All'"): their words are
# a theme, a slogan or a headline, not names.
_QUOTED = re.compile(r"[“\"‘'](?P<body>[^“”\"‘’'\n]{2,160})[”\"’']")
# Abbreviations after which a full stop does not end the sentence.
_ABBREVIATIONS = DOTTED_TITLES | _words("inc corp co ltd no vs etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k")

# Lines of wrapped prose (wire copy) are at least this long.
SHORT_LINE = 40


# --------------------------------------------------------------------------
# Public API


@dataclass(frozen=True)
class Found:
    name: str  # canonical surface form, e.g. "Zhou Minghao" (no possessive 's)
    kind: str  # "person" | "company" | "organization"
    evidence: str  # the sentence of the text that revealed it (stripped, one line)
    # every (start, end) where this name or its later short reference occurs:
    # sorted, non-overlapping, never overlapping a known mention
    spans: tuple[tuple[int, int], ...]


def discover(
    text: str,
    known: Sequence[Mention],
    entity_list: EntityList,
    tagged: Sequence["Reading"] = (),
    title_end: int = 0,
) -> list[Found]:
    """People, organisations, places, products and events named in ``text``
    that ``entity_list`` does not hold, in the order of their first mention.

    ``tagged`` are the trained tagger's readings of the text
    (``reader.tagged_names``); the rules' own readings win where both read the
    same words. ``title_end`` is where the headline ends when the text starts
    with one: short references count there even before the full name."""
    return _analyse(text, known, entity_list, tagged, title_end).found


def short_references(text: str, known: Sequence[Mention], entity_list: EntityList, title_end: int = 0) -> list[Mention]:
    """Later family-name references to the known people of ``known``: "Musk" or
    "Zhou" after the full name. Only unambiguous ones: when two people in the
    article share the word ("Li Qiang" and "Robin Li"), "Li" is left alone."""
    if not _known_people(text, known, entity_list):
        return []  # no one to refer to: spares the whole analysis (most articles of a new corpus)
    return _analyse(text, known, entity_list, (), title_end).short_refs


def family_name(name: str) -> str | None:
    """The word a later short reference to this person uses.

    Chinese names put the family name first ("Zhou Minghao" -> "Zhou"), and
    so does "Robin Li Yanhong" after its English given name ("Li"); Western
    names put it last ("Karen Holt" -> "Holt").
    """
    words = [w for w in name.replace("’", "'").split() if w.lower() not in PARTICLES and not _is_initial(w)]
    while len(words) > 1 and words[-1].lower().rstrip(".") in ("jr", "sr", "ii", "iii", "iv"):
        words.pop()
    if not words:
        return None
    if len(words) == 1:
        return words[0]
    if words[0] in CHINESE_SURNAMES and all(_pinyin_like(w) for w in words[1:]) and len(words) <= 3:
        return words[0]
    if len(words) == 3 and words[1] in CHINESE_SURNAMES and _pinyin_like(words[2]):
        return words[1]
    return words[-1]


# --------------------------------------------------------------------------
# Tokens, capitalised runs and sentences


@dataclass(slots=True)
class _Token:
    index: int
    start: int
    end: int  # end of the word itself, without a possessive or a compound tail
    raw_end: int  # end of everything glued to it
    word: str
    closed: bool  # a possessive or "-based" follows: no name goes on past it
    cap: bool  # capitalised like a name ("Zhou", "SenseTime"), not all capitals
    usable: bool  # may stand in a run: capitalised, an acronym or an initial


@dataclass(slots=True)
class _Run:
    """A sequence of capitalised words that may be, or hold, a name."""

    tokens: list[_Token]
    index: int
    consumed: int = 0  # leading tokens already used by an "of" organisation

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


def _is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1 and word[:1].isupper()


def _is_cap(word: str) -> bool:
    """Capitalised the way names are: "Zhou", "SenseTime", "McDonald", "al-Sabah"."""
    if word[:1].islower():
        word = _strip_glued(word)
    return word[:1].isupper() and not word.isupper()


def _strip_glued(word: str) -> str:
    """"al-Sabah" -> "Sabah", "d'Estaing" -> "Estaing"."""
    match = _GLUED_PREFIX.match(word)
    return word[match.end() :] if match else word


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word[:1].isalpha() and word.isupper()


def _is_title(word: str) -> bool:
    return word.lower().rstrip(".") in TITLES


def _pinyin_like(word: str) -> bool:
    parts = [p for p in word.lower().replace("'", "").replace("’", "").split("-") if p]
    return bool(parts) and all(_PINYIN_NAME.fullmatch(p) for p in parts)


def _is_name_word(word: str) -> bool:
    """A word that can be part of a person's name: "Zhou", "O'Brien",
    "McDonald", "Jean-Pierre", "Jae-in"; not "SenseTime", "LLMs" or "AI"."""
    parts = _strip_glued(word).split("-")
    head = parts[0]
    for prefix in ("Mc", "Mac", "O'", "O’", "D'", "D’", "De", "Di", "Da", "La", "Le", "Van", "Von"):
        rest = head[len(prefix) :]
        if head.startswith(prefix) and len(rest) >= 2 and rest[0].isupper() and rest[1:].islower():
            head = rest
            break
    if len(head) < 2 or not head.isalpha() or not head[0].isupper() or not head[1:].islower():
        return False
    return all(p.isalpha() and (p.islower() or (p[0].isupper() and p[1:].islower())) for p in parts[1:])


def _tokenise(text: str) -> list[_Token]:
    """Words with their offsets. A possessive ("Holding's") or a compound tail
    ("Shanghai-based", "Holdings-backed") is cut off the word and closes it."""
    tokens: list[_Token] = []
    for match in _RAW_WORD.finditer(text):
        start = match.start()
        if start and text[start - 1] in "-'’":
            glued = _GLUED_BEFORE.search(text, max(0, start - 5), start)
            if glued:  # "al-Sabah", "d'Estaing": the particle is part of the word
                start = glued.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            continue  # a capital inside a word ("iPhone")
        raw = text[start : match.end()]
        closed = False
        if len(raw) > 2 and raw[-2] in APOSTROPHES and raw[-1] in "sS":
            raw = raw[:-2]
            closed = True
        pieces = raw.split("-")
        if len(pieces) > 1 and pieces[0].lower() in HYPHEN_PREFIXES:
            pieces = [raw]  # "Co-operation", "Non-Aligned": one word, not "Co" + tail
        kept = [pieces[0]]
        for piece in pieces[1:]:
            # "-based", "-4" and long lower-case tails end the word; the "-in"
            # of "Jae-in" does not.
            if piece.lower() in COMPOUND_TAILS or not piece.isalpha() or (piece.islower() and len(piece) > 6):
                closed = True
                break
            kept.append(piece)
        word = "-".join(kept)
        cap = _is_cap(word)
        usable = cap or _is_acronym(word) or _is_initial(word)
        tokens.append(_Token(len(tokens), start, start + len(word), match.end(), word, closed, cap, usable))
    return tokens


def _is_wrapped(lines: list[str]) -> bool:
    """Is this hard-wrapped prose (wire copy), where most lines stop in the
    middle of a sentence? Otherwise each line is a paragraph, a headline or
    page furniture, and every line end ends a sentence."""
    full = [line.rstrip() for line in lines if line.strip()]
    if len(full) < 3:
        return False
    mid_sentence = sum(1 for line in full if SHORT_LINE <= len(line) <= 100 and line[-1] not in ".!?:\"”’'")
    return mid_sentence >= 0.4 * len(full)


def _hard_breaks(text: str) -> list[int]:
    """Offsets where a sentence ends whatever the punctuation says: paragraph
    breaks and, unless the text is wrapped prose, every line end (so that a
    headline, a caption or "Advertisement" never runs into the next line)."""
    breaks = {m.end() for m in _PARAGRAPH_BREAK.finditer(text)}
    if "\n" not in text:
        return sorted(breaks)
    lines = text.split("\n")
    wrapped = _is_wrapped(lines)
    offset = 0
    for line in lines[:-1]:
        offset += len(line) + 1
        if not wrapped or line.rstrip()[-1:] in ".!?:" or len(line.strip()) < 2:
            breaks.add(offset)
    return sorted(breaks)


def _sentence_starts(text: str, breaks: list[int]) -> list[int]:
    starts = {0, *breaks}
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()].split()
        last = before[-1].lower().lstrip("(\"“‘'") if before else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue  # "Mr. Baker", "Paul A. Volcker"
        starts.add(match.end())
    return sorted(starts)


class _Doc:
    """One text cut into what the rules read: tokens, capitalised runs and
    sentences. Built once per text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenise(text)
        self.token_starts = [t.start for t in self.tokens]
        self.breaks = _hard_breaks(text)
        self._break_set = set(self.breaks)
        self.sentence_starts = _sentence_starts(text, self.breaks)
        self._lower_words: set[str] | None = None
        self._lower: str | None = None
        self.by_word: dict[str, list[int]] = {}
        for tok in self.tokens:
            self.by_word.setdefault(tok.word, []).append(tok.index)
        self.initial_tokens = self._sentence_initial_tokens()
        self.title_quotes = self._title_quotes()
        self.title_end = 0  # where a headline at the top ends (set per analysis)
        self.runs: list[_Run] = []
        self.run_of_token: dict[int, int] = {}
        self.run_ending_at: dict[int, int] = {}
        self._build_runs()

    @property
    def lower(self) -> str | None:
        """The text lower-cased, when that keeps every offset (it does not for
        a few letters: "İ" becomes two characters)."""
        if self._lower is None:
            lowered = self.text.lower()
            self._lower = lowered if len(lowered) == len(self.text) else ""
        return self._lower or None

    # --- sentences and context

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self.sentence_starts, pos) - 1, 0)
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.text)
        return self.sentence_starts[i], end

    def sentence(self, pos: int) -> str:
        start, end = self.sentence_bounds(pos)
        return " ".join(self.text[start:end].split())

    def before(self, start: int, limit: int = 160) -> str:
        """The sentence's text before ``start`` (at most ``limit`` characters),
        without emphasis or markup that opens the name ("**", "[bold]")."""
        sentence_start, _ = self.sentence_bounds(start)
        text = self.text[max(sentence_start, start - limit) : start]
        return _MARKUP_BEFORE.sub("", text) if text[-1:] in _MARKUP_CHARS else text

    def after(self, end: int, limit: int = 160) -> str:
        """The sentence's text after ``end`` (at most ``limit`` characters),
        without emphasis or markup that closes the name."""
        _, sentence_end = self.sentence_bounds(max(end - 1, 0))
        text = self.text[end : min(sentence_end, end + limit)]
        return _MARKUP_AFTER.sub("", text) if text[:1] in _MARKUP_CHARS else text

    @property
    def lower_words(self) -> set[str]:
        """The words the text uses in lower case. Built on first use: most
        texts never ask."""
        if self._lower_words is None:
            self._lower_words = {w for w in (raw.strip(_PUNCTUATION) for raw in self.text.split()) if w.islower()}
        return self._lower_words

    def is_sentence_initial(self, tok: _Token) -> bool:
        return tok.index in self.initial_tokens

    def _sentence_initial_tokens(self) -> set[int]:
        """Tokens that are the first word of their sentence (only capitalised
        words are tokens, so a sentence that starts in lower case has none)."""
        initial = set()
        for start in self.sentence_starts:
            i = bisect.bisect_left(self.token_starts, start)
            if i < len(self.tokens) and not _WORD_CHAR.search(self.text, start, self.tokens[i].start):
                initial.add(i)
        return initial

    def _title_quotes(self) -> list[tuple[int, int]]:
        """Quoted stretches written like a title (most words capitalised): a
        theme or a slogan, whose words are not names."""
        spans = []
        text = self.text
        pos = 0
        while (match := _QUOTED.search(text, pos)) is not None:
            start = match.start()
            pos = match.end()
            if text[start] == "'" and start and text[start - 1].isalnum():
                pos = start + 1  # an apostrophe ("it's"), not a quotation mark: look again after it
                continue
            body = match.group("body")
            words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", body) if w.lower() not in _SMALL_WORDS]
            if len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.7 * len(words):
                spans.append((match.start(), match.end()))
        return spans

    def in_title_quote(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.title_quotes)

    # --- runs

    def _joins(self, prev: _Token, nxt: _Token) -> bool:
        """May ``nxt`` continue the run that ends with ``prev``? Across a space,
        a soft line break, "&", a particle ("von") or the full stop of an
        initial or a title ("Paul A. Volcker", "Mr. Baker")."""
        if prev.closed:
            return False
        gap = self.text[prev.raw_end : nxt.start]
        if len(gap) > 10:
            return False
        if "\n" in gap:
            if gap.count("\n") > 1 or prev.raw_end + gap.index("\n") + 1 in self._break_set:
                return False
        parts = gap.split()
        if not parts:
            return len(gap) <= 3
        if parts == ["&"] or (len(parts) <= 2 and all(p in PARTICLES for p in parts)):
            return True  # "Procter & Gamble", "Ursula von der Leyen"
        if parts == ["."] and gap[0] == ".":
            return _is_initial(prev.word) or prev.word.lower() in DOTTED_TITLES
        return False

    def _build_runs(self) -> None:
        current: list[_Token] = []
        for tok in self.tokens:
            if tok.usable and current and self._joins(current[-1], tok):
                current.append(tok)
            else:
                if current:
                    self._flush(current)
                current = [tok] if tok.usable else []
            if tok.closed and current:
                self._flush(current)
                current = []
        if current:
            self._flush(current)

    def _flush(self, tokens: list[_Token]) -> None:
        if all(_is_initial(t.word) for t in tokens):
            return
        run = _Run(tokens, len(self.runs))
        self.runs.append(run)
        for tok in tokens:
            self.run_of_token[tok.index] = run.index
        self.run_ending_at[run.end] = run.index


# Emphasis and markup tags around a name: "**Zhou Minghao**, founder of ...".
_MARKUP_CHARS = frozenset("*_`[]")
_MARKUP_BEFORE = re.compile(r"(?:\*{1,3}|_{1,3}|`|\[[a-z ]{1,20}\])+$")
_MARKUP_AFTER = re.compile(r"^(?:\*{1,3}|_{1,3}|`|\[/[a-z ]{0,20}\])+")
_SMALL_WORDS = frozenset("and for of the a an in on to with at by or".split())


# --------------------------------------------------------------------------
# Rules: readings of a capitalised run


@dataclass(slots=True)
class _Candidate:
    name: str
    kind: str
    start: int  # where the name stands (for the evidence and the overlap check)
    end: int
    words: tuple[str, ...]
    rank: int  # how sure; of two readings of the same words the surer wins


def _strip_lead(doc: _Doc, tokens: Sequence[_Token], common: bool = False) -> list[_Token]:
    """Drop leading words that are capitalised only because of where they
    stand: function words, days, page furniture. With ``common``, also a
    sentence's first word when the text uses it in lower case too
    ("Investors Karen Holt") or when it reads as a verb ("Welcoming"); an
    organisation's name keeps such words ("Federal Reserve Board" in a text
    about the federal budget), a person's name has none."""
    out = list(tokens)
    while out:
        word = out[0].word
        low = word.lower()
        if low in LEAD_JUNK or _is_initial(word) or word in PARTICLES:
            out.pop(0)
        elif common and len(out) > 2 and doc.is_sentence_initial(out[0]) and low not in TITLES and (
            low in doc.lower_words or (len(low) >= 8 and low.endswith("ing"))
        ):
            out.pop(0)  # a title stays: "Analyst Karen Holt" names her by it
        else:
            break
    return out


def _strip_person_lead(tokens: Sequence[_Token]) -> list[_Token]:
    """Nationality, place and other words that cannot start a person's name
    ("Chinese", the "State" of "Secretary of State George Shultz")."""
    out = list(tokens)
    while len(out) > 1 and (out[0].word.lower() in NON_PERSON_WORDS or not _is_name_word(out[0].word)):
        out.pop(0)
    return out


def _org_kind(words: Sequence[str]) -> str | None:
    """Company or organisation by the ending of the name; None for neither."""
    if not words:
        return None
    last = words[-1].lower()
    if len(words) > 1 and last in LEGAL_FORMS:
        return COMPANY
    if last in COMPANY_SUFFIXES:
        return COMPANY
    if last in ORGANIZATION_SUFFIXES:
        return ORGANIZATION
    return None


def _valid_person(words: Sequence[str], single: bool = False) -> bool:
    """Can these words be a person's name? Two to four name words (particles
    and middle initials aside; one word with ``single``), none of them a title,
    a place word or an organisation's ending."""
    core = [w for w in words if w not in PARTICLES]
    if not core or _is_initial(core[0]) or _is_initial(core[-1]):
        return False
    names = [w for w in core if not _is_initial(w)]
    if not (len(names) == 1 if single else 2 <= len(names) <= 4):
        return False
    if any(not _is_name_word(w) or w.lower() in NON_PERSON_WORDS for w in names):
        return False
    # "Hong Kong said", "Shanghai Pudong said"; a place later in the name is
    # a family name ("Karen Washington").
    return name_key(" ".join(words)) not in PLACE_NAMES and name_key(names[0]) not in PLACE_NAMES


def _valid_org(doc: _Doc, words: Sequence[str], by_context: bool) -> bool:
    """Can these words be an organisation's name? By form it needs more than the
    ending ("The Group" is not a name); by context it must not be a place, a
    nationality or an ordinary word."""
    if not words or not any(_is_cap(w) or _is_acronym(w) for w in words):
        return False
    if len(words) > 1 and all(_is_acronym(w) for w in words):
        return False  # all-caps headline text
    lows = [w.lower() for w in words]
    if name_key(" ".join(words)) in PLACE_NAMES or (len(words) == 1 and lows[0] in DEMONYMS):
        return False
    if by_context:
        if lows[-1] in PARTY_WORDS or lows[-1] in DEMONYMS:
            return False  # "Senate Republican leader", "Soviet leader": descriptions
        if len(words) == 1 and (lows[0] in NON_PERSON_WORDS or lows[0] in doc.lower_words or lows[0] in NOT_ORG_ACRONYMS):
            return False
        return not all(w in DEMONYMS or w in LEAD_JUNK or w in PLACE_WORDS for w in lows)
    return any(w not in _NOT_DISTINCTIVE for w in lows)


def _person(doc: _Doc, tokens: Sequence[_Token], rank: int) -> _Candidate:
    start, end = tokens[0].start, tokens[-1].end
    name = " ".join(doc.text[start:end].split())
    return _Candidate(name, PERSON, start, end, tuple(t.word for t in tokens), rank)


def _org(doc: _Doc, tokens: Sequence[_Token], kind: str, rank: int, end: int | None = None) -> _Candidate:
    start, stop = tokens[0].start, tokens[-1].end if end is None else end
    name = " ".join(doc.text[start:stop].split())
    return _Candidate(name, kind, start, stop, tuple(name.split()), rank)


def _joined_orgs(doc: _Doc) -> dict[int, _Candidate]:
    """Organisations that span two or three runs: "<Head> of <Name>" ("Bank of
    Communications", "Department of Geopolitics and International Relations")
    and "Cable and Wireless Plc", keyed by their first run. The later runs are
    marked used."""
    found: dict[int, _Candidate] = {}
    runs = doc.runs
    for i, run in enumerate(runs[:-1]):
        if _and_company(doc, run, runs[i + 1]):
            found[i] = _org(doc, run.tokens, COMPANY, rank=3, end=runs[i + 1].end)
            runs[i + 1].consumed = len(runs[i + 1].tokens)
            continue
        head = run.tokens[-1].word.lower()
        if head not in OF_HEADS or run.tokens[-1].closed or run.consumed:
            continue
        nxt = runs[i + 1]
        tail = _of_part(nxt)
        if not tail or not _OF_JOIN.fullmatch(doc.text[run.end : nxt.start]):
            continue
        last_run, last_tokens = nxt, tail
        if head in AND_HEADS and len(tail) == len(nxt.tokens) and not tail[-1].closed and i + 2 < len(runs):
            third = runs[i + 2]
            third_tail = _of_part(third)
            if third_tail and len(third_tail) <= 3 and _AND_JOIN.fullmatch(doc.text[nxt.end : third.start]):
                nxt.consumed = len(nxt.tokens)
                last_run, last_tokens = third, third_tail
        lead = _strip_lead(doc, run.tokens)
        if lead:
            kind = COMPANY if head in COMPANY_OF_HEADS else ORGANIZATION
            found[i] = _org(doc, lead, kind, rank=3, end=last_tokens[-1].end)
            last_run.consumed = len(last_tokens)
    return found


def _and_company(doc: _Doc, run: _Run, nxt: _Run) -> bool:
    """"Cable and Wireless Plc", "Marks and Spencer Plc": one company. Kept
    narrow (one word, "and", one word and a legal form) so that two companies
    in a list stay two."""
    if run.consumed or len(run.tokens) != 1 or len(nxt.tokens) != 2 or run.tokens[0].closed:
        return False
    first, (second, form) = run.tokens[0].word, (t.word for t in nxt.tokens)
    return (
        _is_cap(first)
        and _is_cap(second)
        and form.lower() in LEGAL_FORMS
        and first.lower() not in NON_PERSON_WORDS
        and doc.text[run.end : nxt.start] == " and "
    )


def _of_part(run: _Run) -> list[_Token]:
    """The words of an "of" phrase: they stop at a title or at a person's name,
    which start the next phrase ("Bank of China Chairman Tian Guoli",
    "Governor of the Bank of England Robin Leigh-Pemberton")."""
    out: list[_Token] = []
    tokens = run.tokens
    for i, tok in enumerate(tokens):
        if out and _is_title(tok.word) and _person_follows(tokens[i:]):
            break  # a title inside the name stays: "Office of the Deputy Prime Minister"
        out.append(tok)
        if tok.closed:
            break
    for cut in range(1, len(out) - 1):
        tail = [t.word for t in out[cut:]]
        if _valid_person(tail) and not any(w.endswith(("ing", "ies")) for w in tail):
            return out[:cut]  # not "Organization of Petroleum | Exporting Countries"
    return out


def _person_follows(tokens: Sequence[_Token]) -> bool:
    """Do these words start with titles and go on with a name ("Chairman Tian
    Guoli")?"""
    words = [t.word for t in tokens]
    while words and _is_title(words[0]):
        words.pop(0)
    return bool(words) and _valid_person(words, single=len(words) == 1)


def _run_candidates(doc: _Doc, run: _Run, of_org: _Candidate | None) -> Iterator[_Candidate]:
    """Every reading of one capitalised run that a rule supports."""
    if of_org is not None:
        yield of_org
        return
    if doc.in_title_quote(run.start, run.end):
        return
    tokens = _strip_lead(doc, run.tokens[run.consumed :])
    if not tokens:
        return
    if not any(t.cap for t in tokens):
        yield from _acronym_org(doc, tokens)  # all-caps text is never a name by form
        return
    if len(tokens) == 1:
        # One word is never a person without a title, nor an organisation by
        # its ending alone; only a role or a noun in front can make it a name.
        org = _context_org(doc, tokens) or _noun_org(doc, tokens)
        if org is not None:
            yield org
        return
    words = [t.word for t in tokens]
    kind = _org_kind(words)
    if kind and _valid_org(doc, words, by_context=False) and not _MODIFIER_OF.match(doc.text, tokens[-1].raw_end):
        yield _org(doc, tokens, kind, rank=2)
        return
    context_org = _context_org(doc, tokens) or _noun_org(doc, tokens)
    if context_org is not None:
        yield context_org
        return
    tokens = _strip_lead(doc, tokens, common=True)
    if tokens:
        yield from _people(doc, tokens)


def _acronym_org(doc: _Doc, tokens: list[_Token]) -> Iterator[_Candidate]:
    """An acronym that acts, owns or employs: "OPEC said", "the EC's farm
    policy", "the IMF approved", "an analyst at IDC", "members of OPEC"."""
    if len(tokens) != 1:
        return
    tok = tokens[0]
    word = tok.word
    if not (2 <= len(word) <= 6 and word.isalpha() and word.lower() not in NOT_ORG_ACRONYMS):
        return
    text = doc.text
    after_the = text[max(0, tok.start - 4) : tok.start].lower() == "the "
    possessive = tok.closed and text[tok.end : tok.end + 1] in APOSTROPHES
    if (
        _role_at(doc, tok.start)
        or _VERB_AFTER.match(text, tok.raw_end)
        or (possessive and (after_the or len(word) >= 3))
        or (after_the and _ACRONYM_ACTS.match(text, tok.raw_end))
    ):
        yield _Candidate(word, ORGANIZATION, tok.start, tok.end, (word,), 1)


def _role_at(doc: _Doc, start: int) -> re.Match[str] | None:
    """"an analyst at ", "a spokesperson for the " right before ``start``. The
    preposition is checked first: the pattern is costly and rarely matches."""
    words = doc.text[max(0, start - 16) : start].split()
    if words and words[-1] == "the":
        words.pop()
    if not words or words[-1] not in _ROLE_PREPOSITIONS:
        return None
    return _ROLE_AT.search(doc.before(start, 80))


def _context_org(doc: _Doc, tokens: list[_Token]) -> _Candidate | None:
    """An organisation named after a role held at it ("an analyst at Morrow
    Research"), whatever its name looks like."""
    match = _role_at(doc, tokens[0].start)
    if not match or tokens[-1].closed or _ATTRIBUTIVE.match(doc.text, tokens[-1].raw_end):
        return None  # "China's largest bank", "Shanghai-based ...", "the Reagan cabinet"
    words = [t.word for t in tokens]
    if any(_is_title(w) for w in words) or not _valid_org(doc, words, by_context=True):
        return None
    role = match.group("role")
    kind = _org_kind(words) or (COMPANY if role in _COMPANY_ROLES else ORGANIZATION)
    return _org(doc, tokens, kind, rank=2)


def _noun_org(doc: _Doc, tokens: list[_Token]) -> _Candidate | None:
    """An organisation announced by what it is: "investment firm Citic Group",
    "the official newspaper El Peruano"."""
    start = tokens[0].start
    words = doc.text[max(0, start - 16) : start].split()
    noun = words[-1].lower() if words else ""  # "the central bank, Fujioka said": no
    if noun.endswith("s") and noun[:-1] in _ORG_NOUNS:
        noun = noun[:-1]
    kind = _ORG_NOUNS.get(noun) or _AMBIGUOUS_ORG_NOUNS.get(noun)
    if kind is None or tokens[-1].closed or _ATTRIBUTIVE.match(doc.text, tokens[-1].raw_end):
        return None
    names = [t.word for t in tokens]
    if any(_is_title(w) for w in names) or not _valid_org(doc, names, by_context=True):
        return None
    if noun in _AMBIGUOUS_ORG_NOUNS and _valid_person(names):
        return None
    return _org(doc, tokens, _org_kind(names) or kind, rank=2)


def _people(doc: _Doc, tokens: list[_Token]) -> Iterator[_Candidate]:
    """People: after a title in the same run ("Premier Gao Renwei"), or with a
    role or a reporting verb around the name. The words in front of a
    corporate title name the employer ("IBM Chairman John Akers")."""
    words = [t.word for t in tokens]
    titles = [i for i, w in enumerate(words) if _is_title(w)]
    if not titles:
        name = _strip_person_lead(tokens)
        if len(name) < 2 or not _valid_person([t.word for t in name]):
            return
        cue = _person_cue(doc, name)
        if cue is None:
            return
        yield _person(doc, name, rank=1)
        if cue == "role-before":
            org = _org_before_role(doc, name[0].start)
            if org is not None:
                yield org
        return
    last = titles[-1]
    block = last
    while block > 0 and _is_title(words[block - 1]):
        block -= 1
    if block:
        yield from _prefix_org(doc, tokens[:block], [w.lower().rstrip(".") for w in words[block : last + 1]])
    name = _strip_person_lead(tokens[last + 1 :])
    if len(name) >= 2 and _valid_person([t.word for t in name]):
        yield _person(doc, name, rank=1)
    elif last == len(words) - 2 and words[last].lower().rstrip(".") in SINGLE_NAME_TITLES:
        if _valid_person([name[0].word], single=True):
            yield _person(doc, name, rank=0)


def _prefix_org(doc: _Doc, prefix: list[_Token], titles: list[str]) -> Iterator[_Candidate]:
    """The words in front of a title: an organisation by its form, or by a
    corporate title ("Ant Group Chairman ...")."""
    words = [t.word for t in prefix]
    kind = _org_kind(words)
    if kind and _valid_org(doc, words, by_context=False):
        yield _org(doc, prefix, kind, rank=2)
    elif any(t in CORPORATE_TITLES for t in titles) and len(prefix) <= 4 and not prefix[-1].closed:
        if _valid_org(doc, words, by_context=True) and not _valid_person(words) and not _lone_initial(doc, prefix):
            yield _org(doc, prefix, COMPANY, rank=1)


def _lone_initial(doc: _Doc, tokens: Sequence[_Token]) -> bool:
    """One word at the start of a sentence: "Budget director James Miller" could
    be a name or a capitalised noun, and there is no telling which."""
    return len(tokens) == 1 and doc.is_sentence_initial(tokens[0])


def _person_cue(doc: _Doc, name: list[_Token]) -> str | None:
    """Why these words are a person, or None: a role before or after, a
    reporting verb, or an age."""
    before = doc.before(name[0].start)
    after = doc.after(name[-1].end)
    if _ROLE_BEFORE.search(before):
        return "role-before"
    if before.endswith(", ") and _ROLE_OF_BEFORE.search(before):
        return "role-of-before"
    if _ROLE_AFTER.match(after) or _AGE_AFTER.match(after):
        return "role-after"
    if _SPEECH_AFTER.match(after):
        return "speech"
    if _SPEECH_BEFORE.search(before) and _CLAUSE_END.match(after):
        return "speech"
    return None


def _org_before_role(doc: _Doc, name_start: int) -> _Candidate | None:
    """"Baidu co-founder, chairman and chief executive Robin Li Yanhong": the
    run right before the role phrase is the person's organisation."""
    before = doc.before(name_start)
    match = _ROLE_BEFORE.search(before)
    if not match:
        return None
    phrase_start = name_start - len(before) + match.start("phrase")
    gap_start = phrase_start
    while gap_start > 0 and doc.text[gap_start - 1] in " \t":
        gap_start -= 1
    index = doc.run_ending_at.get(gap_start)
    if index is None or gap_start == phrase_start:
        return None
    run = doc.runs[index]
    tokens = _strip_lead(doc, run.tokens[run.consumed :], common=True)
    if not tokens or len(tokens) > 4 or tokens[-1].closed:
        return None
    words = [t.word for t in tokens]
    if any(_is_title(w) for w in words) or _valid_person(words) or _lone_initial(doc, tokens):
        return None
    if not _valid_org(doc, words, by_context=True):
        return None
    return _org(doc, tokens, _org_kind(words) or COMPANY, rank=1)


_CACHE: list[tuple[str, list[_Candidate], _Doc]] = []


def _candidates(text: str) -> tuple[list[_Candidate], _Doc]:
    """Every rule reading of ``text``. They depend on the text alone, so the
    last result is kept: extraction asks for the short references and then
    for discovery over the same text."""
    cached = _CACHE[0] if _CACHE else None
    if cached is not None and cached[0] == text:
        return cached[1], cached[2]
    doc = _Doc(text)
    of_orgs = _joined_orgs(doc)
    found: list[_Candidate] = []
    for run in doc.runs:
        if run.consumed < len(run.tokens):
            found.extend(_run_candidates(doc, run, of_orgs.get(run.index)))
    _CACHE[:] = [(text, found, doc)]
    return found, doc


# --------------------------------------------------------------------------
# The trained tagger's readings


def _tagged_candidates(doc: _Doc, rules: Sequence[_Candidate], tagged: Sequence["Reading"]) -> list[_Candidate]:
    """The tagger's readings as candidates that rank below every rule.

    One kind per name across the article: the kind the tagger gives it most
    often. Readings inside a quoted title, or on a line written all in
    capitals or in title case (a headline, a slogan), count only for names
    the article also names elsewhere: there, capitals say nothing."""
    lines = _LineShapes(doc.text)
    strong: list["Reading"] = []
    weak: list["Reading"] = []
    for reading in tagged:
        if doc.in_title_quote(reading.start, reading.end) or lines.styled(reading.start):
            weak.append(reading)
        else:
            strong.append(reading)
    votes: dict[str, dict[str, int]] = {}
    spelling: dict[str, str] = {}  # how the article writes the name outside headlines
    for reading in strong:
        key = name_key(reading.name)
        kinds = votes.setdefault(key, {})
        kinds[reading.kind] = kinds.get(reading.kind, 0) + 1
        spelling.setdefault(key, reading.name)
    for cand in rules:
        spelling.setdefault(name_key(cand.name), cand.name)
    out = []
    for reading in strong + [r for r in weak if name_key(r.name) in spelling]:
        key = name_key(reading.name)
        kinds = votes.get(key)
        kind = max(kinds.items(), key=lambda kv: (kv[1], kv[0] == reading.kind))[0] if kinds else reading.kind
        name = spelling.get(key, reading.name)
        out.append(_Candidate(name, kind, reading.start, reading.end, tuple(name.split()), -1))
    return out


class _LineShapes:
    """Which lines of a text are written all in capitals or in title case."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: dict[int, bool] = {}

    def styled(self, pos: int) -> bool:
        start = self.text.rfind("\n", 0, pos) + 1
        cached = self._cache.get(start)
        if cached is None:
            end = self.text.find("\n", pos)
            line = self.text[start : end if end >= 0 else len(self.text)]
            cached = self._cache[start] = _styled_line(line)
        return cached


def _styled_line(line: str) -> bool:
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    if len(words) == 1:
        return len(words[0]) > 1 and words[0].isupper()  # "REUTER" alone on its line
    if not words:
        return False
    # A row of a table or a list of names is not a headline: it has figures,
    # brackets or several commas ("5. Sven Nylander ( Sweden ) 49.22").
    if len(re.findall(r"\d+", line)) >= 2 or "(" in line or line.count(",") >= 2:
        return False
    if all(w.upper() == w for w in words):
        return True
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if len(content) < 3 or line.rstrip()[-1:] in ".,;":
        return False
    return sum(w[0].isupper() for w in content) >= 0.8 * len(content)


# --------------------------------------------------------------------------
# From readings to names, spans and short references


@dataclass
class _Name:
    """One discovered name while its spans are collected."""

    name: str
    kind: str
    first: int  # first occurrence
    evidence_pos: int  # where the rule that revealed it fired
    forms: list[str] = field(default_factory=list)  # full forms
    short: list[str] = field(default_factory=list)  # acronyms given in brackets
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Person:
    """A person of the article, known or discovered, for short references."""

    owner: str | _Name  # known entity id, or the discovered name
    first_end: int  # short references count only after this
    family: str | None
    words: frozenset[str]


@dataclass
class _Analysis:
    found: list[Found]
    short_refs: list[Mention]


class _Blocked:
    """What discovery must not report: the list's names and aliases, its
    ignore list, and places."""

    _last: "_Blocked | None" = None

    def __init__(self, entity_list: EntityList) -> None:
        self.entity_list = entity_list
        self.ignored = entity_list.ignored()
        self.places = {name_key(p) for p in entity_list.places()} | PLACE_NAMES

    @classmethod
    def of(cls, entity_list: EntityList) -> "_Blocked":
        """The blocked names of ``entity_list``, built once per list: a list is
        not changed once loaded (curating loads a new one), and every article
        of an index build asks about the same list."""
        last = cls._last
        if last is None or last.entity_list is not entity_list:
            last = cls._last = cls(entity_list)
        return last

    def name(self, name: str, kind: str = "") -> bool:
        """Is ``name`` barred from discovery? Places are barred from being
        read as anything but a place."""
        key = name_key(name)
        if key in self.ignored or bool(self.entity_list.lookup(name)):
            return True
        return kind != PLACE and key in self.places

    def short_form(self, form: str) -> bool:
        """A short form must be a name-like word that is not itself a known
        name, a place, an ignored name or an ordinary word ("He", "Long")."""
        low = form.lower()
        return len(form) < 2 or low in NON_PERSON_WORDS or self.name(form)


class _Claims:
    """Offsets already given to a name: no offset is given twice."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        merged: list[list[int]] = []
        for start, end in sorted((s, e) for s, e in spans if e > s):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def free(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.ends[i] > start:
            return False
        return not (i + 1 < len(self.starts) and self.starts[i + 1] < end)

    def take(self, start: int, end: int) -> bool:
        if start >= end or not self.free(start, end):
            return False
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        return True


def _analyse(
    text: str, known: Sequence[Mention], entity_list: EntityList, tagged: Sequence["Reading"] = (), title_end: int = 0
) -> _Analysis:
    if not text or not text.strip():
        return _Analysis([], [])
    candidates, doc = _candidates(text)
    doc.title_end = title_end
    if tagged:
        candidates = candidates + _tagged_candidates(doc, candidates, tagged)
    known_spans = [(m.start, m.end) for m in known]
    blocked = _Blocked.of(entity_list)
    people = _known_people(text, known, entity_list)
    names = _consolidate(candidates, _Claims(known_spans), blocked, people)
    claims = _Claims(known_spans)
    _full_spans(doc, names, claims)
    _bracketed_acronyms(doc, names, blocked)
    people += [_discovered_person(item, len(text)) for item in names if item.kind == PERSON]
    refs = _family_references(doc, people, claims, blocked)
    _company_references(doc, names, people, claims, blocked)
    for item in names:
        for acronym in item.short:
            _add_standalone(doc, item, acronym, claims)
    # A name left without a span of its own (every occurrence is inside a
    # longer name) is not mentioned by itself, so it is not reported.
    found = [
        Found(n.name, _public_kind(doc, n), doc.sentence(n.evidence_pos), tuple(sorted(n.spans)))
        for n in sorted(names, key=lambda n: n.first)
        if n.spans
    ]
    return _Analysis(found, refs)


_PUBLIC_BANK_WORDS = frozenset("central reserve world federal development export-import international".split())
_PUBLIC_BODY_WORDS = frozenset(
    """
    ministry department government council commission committee agency authority parliament
    treasury court nations bureau administration senate congress assembly cabinet
    """.split()
)


# Seats of government named as a house: "White House spokesman Marlin Fitzwater".
_PUBLIC_HOUSES = frozenset(
    ("white house", "blue house", "house of commons", "house of lords", "house of representatives",
     "state house", "government house")
)


def _public_kind(doc: _Doc, item: "_Name") -> str:
    """A company only with company evidence: central banks ("Bank of England",
    "Reserve Bank", "World Bank") and government bodies are organisations,
    whatever their ending says. A bank named after a country is a central
    bank unless a company's officer is named with it ("Bank of China
    Chairman Tian Guoli")."""
    kind = item.kind
    if kind != COMPANY:
        return kind
    words = [w.lower() for w in item.name.split()]
    if any(w in _PUBLIC_BODY_WORDS for w in words) or " ".join(words) in _PUBLIC_HOUSES:
        return ORGANIZATION
    if "bank" in words:
        if any(w in _PUBLIC_BANK_WORDS for w in words):
            return ORGANIZATION
        if words[:2] == ["bank", "of"] and len(words) >= 3 and _is_country(" ".join(words[2:])):
            officer = any(
                w.lower().strip(",.") in CORPORATE_TITLES for _, end in item.spans for w in doc.after(end, 30).split()[:2]
            )
            return kind if officer else ORGANIZATION
    return kind


@functools.lru_cache(maxsize=1024)
def _is_country(words: str) -> bool:
    """A country of the public lists, or one of the nations of the United
    Kingdom, which the lists hold as one country."""
    from reader.tagger.lexicon import lexicon

    if words in ("england", "scotland", "wales", "northern ireland"):
        return True
    lex = lexicon()
    key = tuple(words.split())
    band = lex.places.get(key[0]) if len(key) == 1 else lex.place_phrases.get(key)
    return band == 0


def _consolidate(candidates: list[_Candidate], known: _Claims, blocked: _Blocked, people: list[_Person]) -> list[_Name]:
    """One entry per name: drop what the list holds or a known mention covers,
    merge repeats (an organisation reading beats a person reading of the same
    words) and fold shorter forms of a person's name into the longest."""
    best: dict[str, _Candidate] = {}
    firsts: dict[str, int] = {}
    for cand in candidates:
        if not known.free(cand.start, cand.end) or blocked.name(cand.name, cand.kind):
            continue
        key = name_key(cand.name)
        firsts[key] = min(firsts.get(key, cand.start), cand.start)
        old = best.get(key)
        if old is None or cand.rank > old.rank or (
            cand.kind in ORG_KINDS and old.kind == PERSON and cand.rank >= old.rank
        ):
            best[key] = cand
    org_keys = [k for k, c in best.items() if c.kind in ORG_KINDS]
    known_words = {w for p in people for w in p.words}
    person_words = known_words | {w for c in best.values() if c.kind == PERSON for w in c.words}
    names: list[_Name] = []
    for key, cand in best.items():
        if cand.kind in ORG_KINDS and len(cand.words) == 1 and cand.words[0] in person_words:
            continue  # "a spokesman for Yeutter": the person, not an organisation
        if cand.kind == PERSON and any(o.startswith(key + " ") for o in org_keys):
            continue  # "Goldman Sachs said" beside "Goldman Sachs Group": a company
        if cand.kind == PERSON and len(cand.words) == 1 and cand.words[0] in known_words:
            continue  # "Premier Li" beside a known "Li Qiang" is a short reference
        names.append(_Name(cand.name, cand.kind, firsts[key], cand.start, [cand.name]))
    return _merge_people(names)


def _merge_people(names: list[_Name]) -> list[_Name]:
    """"Robin Li" and "Robin Li Yanhong" are one person, named by the longest
    form. A one-word form ("President Reagan" beside "Ronald Reagan") is left to
    the family-name rule, which checks that it is unambiguous."""
    people = sorted((n for n in names if n.kind == PERSON), key=lambda n: -len(n.name.split()))
    kept: list[_Name] = []
    for person in people:
        words = [w for w in person.name.split() if not _is_initial(w)]
        owner = next((k for k in kept if _is_part(words, [w for w in k.name.split() if not _is_initial(w)])), None)
        if owner is None:
            kept.append(person)
        elif len(words) > 1:
            owner.forms.append(person.name)
    return [n for n in names if n.kind != PERSON] + kept


def _is_part(short: Sequence[str], long: Sequence[str]) -> bool:
    """Are the words of ``short`` consecutive words of the longer ``long``?"""
    n = len(short)
    if n == 0 or n >= len(long):
        return False
    return any(list(long[i : i + n]) == list(short) for i in range(len(long) - n + 1))


@functools.lru_cache(maxsize=32768)  # a corpus names tens of thousands of forms
def _form_pattern(form: str, ignore_case: bool) -> re.Pattern[str]:
    """The pattern of a name's words split by any white space; names recur
    across a corpus ("Reuters", "Federal Reserve"), so patterns are kept. It
    starts with the name's letters (the word boundary before is checked by
    hand), so the engine jumps from one candidate to the next with a fast
    search instead of trying every position: on a 170 KB article, 0.3 ms per
    name rather than 8."""
    words = r"\s+".join(re.escape(w) for w in form.split())
    return re.compile(words + r"(?!\w)", re.IGNORECASE if ignore_case else 0)


def _occurrences(doc: _Doc, form: str) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``form`` spelt exactly or in all capitals; its
    words may be split by any white space (wrapped lines)."""
    text = doc.text
    lower = doc.lower
    # Lower-cased text when lower-casing keeps every offset; else the slower
    # case-blind pattern over the text itself.
    haystack, pattern = (lower, _form_pattern(form.lower(), False)) if lower is not None else (
        text, _form_pattern(form, True))
    out = []
    pos = 0
    while True:
        match = pattern.search(haystack, pos)
        if match is None:
            return out
        start, end = match.span()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            pos = start + 1  # inside a longer word
            continue
        surface = text[start:end]
        if " ".join(surface.split()) == form or surface.isupper():
            out.append((start, end))
        pos = end


def _full_spans(doc: _Doc, names: list[_Name], claims: _Claims) -> None:
    """Every occurrence of each full form. Longer names claim first, so a name
    inside another ("Lumina Robotics" in "Lumina Robotics Institute") goes to
    the longer one."""
    for item in sorted(names, key=lambda n: -len(n.name)):
        for form in sorted(set(item.forms), key=len, reverse=True):
            if len(form.split()) == 1:
                spans = list(_standalone(doc, form, 0))  # "Reagan", "OPEC"
            else:
                spans = _occurrences(doc, form)
            item.spans.extend(span for span in spans if claims.take(*span))
        if item.spans:
            item.first = min(item.first, min(s for s, _ in item.spans))


def _bracketed_acronyms(doc: _Doc, names: list[_Name], blocked: _Blocked) -> None:
    """"Organization of Petroleum Exporting Countries (OPEC)": the acronym is a
    short form of the organisation, not a name of its own; so is an event's
    ("World Artificial Intelligence Conference (WAIC)")."""
    by_key = {name_key(n.name): n for n in names}
    for item in list(names):
        if item.kind not in ORG_KINDS + (EVENT,) or item not in names:
            continue
        for _, end in list(item.spans):
            match = _ACRONYM_AFTER.match(doc.text, end)
            if not match:
                continue
            acronym = match.group("acr")
            if _initials_match(acronym, item.name) and not blocked.name(acronym):
                item.short.append(acronym)
                twin = by_key.get(name_key(acronym))
                if twin is not None and twin is not item and twin in names:
                    names.remove(twin)
                    item.spans.extend(twin.spans)
            break


def _initials_match(acronym: str, name: str) -> bool:
    initials = "".join(w[0] for w in name.split() if w.lower() not in _SMALL_WORDS and w[:1].isalpha()).upper()
    letters = "".join(c for c in acronym if c.isupper())
    if len(letters) < 2 or not initials:
        return False
    remaining = iter(initials)
    return letters[0] == initials[0] and all(c in remaining for c in letters)


def _known_people(text: str, known: Sequence[Mention], entity_list: EntityList) -> list[_Person]:
    """The known people the text names in full, each with the end of its first
    full mention (a one-word alias such as "Musk" does not start short
    references: the reader has not been told who "Musk" is yet)."""
    people: dict[str, _Person] = {}
    for mention in sorted(known, key=lambda m: m.start):
        entity = entity_list.get(mention.entity)
        if entity is None or entity.kind != PERSON or mention.entity in people:
            continue
        if len(text[mention.start : mention.end].split()) < 2:
            continue
        words = frozenset(w for n in entity.names for w in n.replace("’", "'").split())
        people[mention.entity] = _Person(mention.entity, mention.end, _common_family(entity.names), words)
    return list(people.values())


def _discovered_person(item: _Name, text_length: int) -> _Person:
    first_end = min((e for _, e in item.spans), default=text_length)
    words = frozenset(w for form in item.forms for w in form.split())
    family = family_name(item.name) if len(item.name.split()) > 1 else None
    return _Person(item, first_end, family, words)


def _common_family(entity_names: Sequence[str]) -> str | None:
    """The family name all of a known person's names agree on ("Robin Li" and
    "Robin Li Yanhong" both give "Li"); None when they disagree."""
    families = set()
    for name in entity_names:
        words = name.split()
        while len(words) > 1 and _is_title(words[0]):
            words.pop(0)  # "Premier Li Qiang"
        if len(words) > 1:
            families.add(family_name(" ".join(words)))
    families.discard(None)
    return families.pop() if len(families) == 1 else None


def _family_references(doc: _Doc, people: list[_Person], claims: _Claims, blocked: _Blocked) -> list[Mention]:
    """"Zhou" after "Zhou Minghao", "Holt" after "Karen Holt": for discovered
    people they become spans, for known people mentions. A family name that
    another person of the article also carries is given to neither."""
    refs: list[Mention] = []
    for person in people:
        family = person.family
        if not family or blocked.short_form(family):
            continue
        if any(family in other.words for other in people if other is not person):
            continue
        for start, end in _standalone(doc, family, person.first_end, doc.title_end):
            if not claims.take(start, end):
                continue
            if isinstance(person.owner, _Name):
                person.owner.spans.append((start, end))
            else:
                refs.append(Mention(start, end, person.owner))
    return sorted(refs, key=lambda m: m.start)


def _company_references(doc: _Doc, names: list[_Name], people: list[_Person], claims: _Claims, blocked: _Blocked) -> None:
    """"Lumina" after "Lumina Robotics": a company's distinctive stem, when no
    other name of the article shares it."""
    stems: dict[str, list[_Name]] = {}
    for item in names:
        stem = _company_stem(item.name) if item.kind == COMPANY else None
        if stem:
            stems.setdefault(stem, []).append(item)
    person_words = {w for p in people for w in p.words}
    for stem, owners in stems.items():
        if len(owners) == 1 and stem not in person_words and not blocked.short_form(stem):
            _add_standalone(doc, owners[0], stem, claims)


def _add_standalone(doc: _Doc, item: _Name, form: str, claims: _Claims) -> None:
    first_end = min((e for _, e in item.spans), default=len(doc.text))
    item.spans.extend(span for span in _standalone(doc, form, first_end, doc.title_end) if claims.take(*span))


def _company_stem(name: str) -> str | None:
    """"Lumina Robotics" -> "Lumina", "Qiantang Silicon Technologies" ->
    "Qiantang Silicon": the name without its legal form and business ending."""
    words = name.split()
    while len(words) > 1 and words[-1].lower() in LEGAL_FORMS:
        words.pop()
    if len(words) > 1 and words[-1].lower() in COMPANY_SUFFIXES:
        words.pop()
    if len(words) == len(name.split()):
        return None
    if any(w.lower() in NON_PERSON_WORDS or not _is_cap(w) for w in words):
        return None
    return " ".join(words)


def _standalone(doc: _Doc, form: str, after: int, headline_end: int = 0) -> Iterator[tuple[int, int]]:
    """Occurrences of ``form`` from ``after`` on that stand alone: the form ends
    its capitalised run, and what comes before it in the run is a title ("Mr
    Holt", "Indonesian Energy Minister Subroto") or only words capitalised by
    their place ("Earlier Zhou"), so "Zhou" in "Zhou Enlai" or "Wang Zhou" does
    not count. The spelling must be exact, or all capitals. The headline, up
    to ``headline_end``, counts too: it stands before the story that names the
    person in full ("NO DECISION ON RENAMING VOLCKER")."""
    words = form.split()
    upper = [w.upper() for w in words]
    indices = doc.by_word.get(words[0], [])
    if upper[0] != words[0]:
        indices = sorted(indices + doc.by_word.get(upper[0], []))
    for index in indices:
        tok = doc.tokens[index]
        run_index = doc.run_of_token.get(index)
        if (headline_end <= tok.start < after) or run_index is None:
            continue
        run_tokens = doc.runs[run_index].tokens
        position = next(i for i, t in enumerate(run_tokens) if t is tok)
        tail, before = run_tokens[position:], run_tokens[:position]
        if len(run_tokens) > len(words) and all(t.word.isupper() for t in run_tokens):
            # A line in capitals is one run: there the form only has to be whole words.
            if [t.word for t in tail[: len(words)]] == upper:
                yield tok.start, tail[len(words) - 1].end
            continue
        if [t.word for t in tail] not in (words, upper):
            continue
        if before and not _is_title(before[-1].word) and _strip_lead(doc, before, common=True):
            continue
        yield tok.start, tail[-1].end
