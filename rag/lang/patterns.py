"""English patterns that read articles' headers, questions and answers: the header lines
that give an outlet and date, what a yes/no question looks like, the framing a model
wraps around cited facts, links and instructions, quantity and money wording,
capitalised names. Language knowledge as data, beside :mod:`rag.lang.en`.

Only the header patterns shape the index (which lines are passages, each article's
outlet and date); a change to them bumps ``READING_RULES`` (:mod:`rag.lang.lexicon`),
which makes ``rag index`` rebuild an index read by older rules.
"""

from __future__ import annotations

import re

from .en import LEXICON

# -- Reading an article's header ------------------------------------------------

# A header line after the headline ("Source: The Verge", "Published: 2023-12-19").
# A dash separates a header only with spaces around it: "Title-winning coach ..." and
# "By-election results ..." open stories.
HEADER_LINE = re.compile(
    r"^(title|headline|source|publisher|outlet|published|publication date|date|updated|author|authors|by)"
    r"(?:\s*[:|]|\s+[-–—])\s*(.{1,200})$",
    re.IGNORECASE,
)
#: Words an outlet header's value has at most: "Source: two officials familiar with the talks said
#: a deal was close on Friday." is the story's first sentence, not its outlet.
HEADER_MAX_WORDS = 10
HEADER_FIELD = {
    "source": "source",
    "publisher": "source",
    "outlet": "source",
    "published": "published",
    "publication date": "published",
    "date": "published",
    "updated": "published",
}

#: A byline on a line of its own: "By Jane Doe", "By JANE DOE and Omar Ali", "By Jane
#: Doe, Associated Press", "By Łukasz Nowak". :func:`rag.ingest.clean.is_byline` also
#: wants every word after "By" to be a name's (capitalised, or one of these joining
#: words), so "By Friday, the storm had passed" is the story.
BYLINE = re.compile(r"^(?:By|BY|by):?\s+\S+(?:,?\s+\S+){0,9}$")
NAME_JOINERS = frozenset("and & de da di del der van von la le bin al of the y".split())
#: Parts after a byline that are the writer's role, not the outlet ("Staff Writer").
BYLINE_ROLE = re.compile(
    r"\b(writers?|reporters?|correspondents?|editors?|staff|contributors?|columnists?|desk|bureau|analysts?)\b",
    re.IGNORECASE,
)
#: Words of a newspaper's section or a story's label, which a bare line under the headline
#: may be instead of the outlet's name ("World News", "Special Report", "Analysis").
SECTION_WORDS = frozenset(
    "news world national international local politics business economy markets finance money "
    "sport sports technology tech science health opinion analysis commentary editorial comment "
    "culture arts entertainment lifestyle travel climate environment weather europe asia africa "
    "americas us uk exclusive live breaking latest explainer feature features investigation "
    "investigations special report review reviews interview update updates advertisement sponsored briefing "
    "updated listen share video videos photos gallery podcast newsletter subscribe menu home search "
    "football soccer basketball baseball tennis golf cricket rugby hockey cycling athletics boxing motorsport "
    "olympics education crime justice courts law media property motoring autos cars food books music film "
    "movies tv television fashion style obituaries letters jobs careers economics energy transport defence "
    "defense security elections royals celebrity gaming games wellness parenting religion housing "
    "immigration agriculture space nature crypto investing startups deals earnings companies industry "
    "regions region nation metro city state states".split()
)
#: Words that name a news outlet ("The Westmark Herald", "Business Daily Wire"), which tell
#: a bare outlet line under the headline from a writer's name on its own ("Jane Doe").
OUTLET_NAME_WORDS = frozenset(
    "times herald post news journal daily weekly tribune gazette press wire observer chronicle "
    "guardian telegraph express mail star sun today magazine radio tv television network media "
    "standard independent record courier monitor insider register bulletin dispatch reporter "
    "globe mirror sentinel examiner inquirer enquirer review digest report reports online "
    "broadcasting broadcast channel agency newswire telegram leader advertiser argus mercury "
    "ledger post-gazette free-press".split()
)
#: A header line's parts ("By Jane Doe | Reuters | March 3, 2024").
HEADER_PARTS = re.compile(r"\s+[|·•]\s+")
#: Where a field's value may end and a stamp begin: "Reuters, March 3, 2024", "AP - 3 March 2024".
VALUE_BREAK = re.compile(r"\s*(?:,|[|·•]|\s[-–—])\s*")
#: "4 min read", a header part that says nothing of the article's outlet or date.
READ_TIME = re.compile(r"^\d{1,3}[- ]min(?:ute)?s?(?: read)?$", re.IGNORECASE)
#: A wire story's dateline, in its first paragraph: "WASHINGTON, March 3, 2024 (Reuters) -",
#: "NEW YORK (AP) —", "SÃO PAULO, March 3 (Reuters) -": the place in capitals, maybe a
#: date, the agency in brackets, a dash. Group 1 is the date, group 2 the agency, which
#: must be one of :data:`WIRE_AGENCIES` or an abbreviation ("(AAP)"), so "AMD (Advanced
#: Micro Devices) - Shares jumped" is no dateline.
_DATELINE_PLACE = (
    r"^[A-ZÀ-Þ][A-ZÀ-Þ.'’-]+(?:[\s/]+[A-ZÀ-Þ][A-ZÀ-Þ.'’-]+)*(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"
    r"(?:,\s+((?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s+\d{4})?))?"
)
WIRE_DATELINE = re.compile(_DATELINE_PLACE + r"\s+\(([A-Za-z][A-Za-z&.' -]{1,30})\)\s*[-–—]")
#: Any story's dateline before its lead: "LAKEMONT - ", "SAN JOSE — ", "OSLO, Feb. 12 - ",
#: or a wire's (group 2 the agency, as in :data:`WIRE_DATELINE`), with the dash after it.
DATELINE_LEAD = re.compile(_DATELINE_PLACE + r"(?:\s+\(([A-Za-z][A-Za-z&.' -]{1,30})\))?\s*[-–—]{1,2}\s+")
WIRE_AGENCIES = frozenset(
    "reuters bloomberg afp ap upi dpa aap cp pti ani ians xinhua kyodo yonhap tass efe ansa anadolu "
    "cnn bbc npr cnbc nhk apa sda".split()
)
#: One outlet's usual names, the name it is filed under first. A story from "AP" and one
#: from "The Associated Press" are one outlet's: in ``sources=`` filters, comparisons
#: (one side, not two) and "Which outlets …?" answers; a question may name it either way.
OUTLET_ALIASES: tuple[tuple[str, ...], ...] = (
    ("Associated Press", "The Associated Press", "AP", "AP News"),
    ("AFP", "Agence France-Presse", "Agence France Presse"),
    ("Reuters", "Thomson Reuters"),
    ("Bloomberg", "Bloomberg News"),
    ("dpa", "Deutsche Presse-Agentur"),
    ("UPI", "United Press International"),
    ("DW", "Deutsche Welle"),
    ("BBC News", "BBC"),
    ("NPR", "National Public Radio"),
    ("The New York Times", "New York Times", "NYT", "NY Times"),
    ("The Wall Street Journal", "Wall Street Journal", "WSJ"),
    ("The Washington Post", "Washington Post"),
    ("Financial Times", "The Financial Times", "FT"),
)

#: Words a passage may state a count by ("both companies" for an answer's "the two
#: companies", "twice" for "two times"); an answer's own "both" is no figure to find.
FIGURE_WORDS = {"both": "2", "twice": "2", "pair": "2", "couple": "2", "dozen": "12"}

#: Verbs that may follow a figure, so are not what it counts ("42,000 was", "3 includes").
COUNT_VERBS = frozenset(
    "was is has does goes says seems remains stands gets comes makes rises falls includes means "
    "shows marks puts takes brings leaves adds needs costs".split()
)

# -- Reading a question --------------------------------------------------------

ANAPHORA = frozenset(
    "he him his she her hers they them their theirs it its this these those such former latter".split()
)
#: Words that point back without a pronoun: "that" as the subject ("Is that more than
#: ...?", "Why is that different?"), after a preposition ("after that") or closing the
#: question ("Who said that?"), but not before a name ("about that Texas law") nor opening
#: a clause ("Did she say that the bridge would close?"); "then" and "there" closing a
#: question ("What happened then?"). "the other" points back in a question that names
#: nothing ("What did the other outlet report?"; see :func:`rag.question.is_follow_up`).
POINTS_BACK = re.compile(
    r"^\W*(?:and\s+|but\s+|so\s+)?that\b|\bthat\W*$"
    r"|^\W*(?:(?:why|how|when|where|what|who)\s+)?(?:is|are|was|were|does|did|do|has|had|have|will|would|can|could)"
    r"\s+that\b(?!\s+(?-i:[A-Z]))"
    r"|\b(?:after|before|about|than|since|until|like)\s+that\b(?!\s+(?:of\b|(?-i:[A-Z])))"
    r"|\b(?:then|there)\W*$",
    re.IGNORECASE,
)
THE_OTHER = re.compile(r"\bthe other\b(?!\s+(?:day|week|month|year|night|morning|evening|weekend)s?\b)", re.I)
#: Words of a "how many/much" question that say nothing of its subject ("By how many votes?").
QUANTIFIERS = frozenset({"many", "much"})
#: Words up to three before a verb or an outcome that make it a possibility, a plan, a
#: need or a wish, not a report: "needed a majority *to* pass", "*would* raise", "two
#: members *preferring* a cut", "*called* for a cut".
UNREALISED = frozenset(
    """to would could will may might should must can cannot prefer prefers preferred preferring want wants
    wanted wanting hope hopes hoped hoping seek seeks sought seeking propose proposes proposed proposing
    favour favours favoured favouring favor favors favored favoring urge urges urged urging call calls called
    calling push pushes pushed pushing""".split()
)
#: Words before a "to" that make what follows it a report ("went *on* to win", "came
#: *back* to win", "from a goal *down* to win", "*managed* to pass").
REALISED_BEFORE_TO = frozenset("on back down managed rallied recovered".split())
#: Words that deny what follows ("did *not* reject", "*no one* died"); "-n't" too.
NEGATIONS = frozenset("not never no nobody none".split())
AUX = frozenset(
    "is are was were be been being am do does did has have had will would can could should may might must shall".split()
)
YES_NO = re.compile(
    r"^\s*(is|are|was|were|do|does|did|has|have|had|will|would|can|could|should|may|might|must)\b",
    re.IGNORECASE,
)
# A yes/no question after a fronted clause: "After The Age reported ..., did The
# Independent ...?", "Between the report of May 2 and the one of May 9, was there ...?"
FRONTED = re.compile(
    r"^\s*(after|before|between|since|following|given|considering|according to|based on|in light of)\b"
    r"(?:(?!\b(?:which|what|who|whom|whose|how|where|why)\b)[^?])*?,\s*"
    r"(?=(is|are|was|were|do|does|did|has|have|had|will|would|can|could|should)\b)",
    re.IGNORECASE,
)
EXCLUDED = re.compile(
    r"\b(besides|except(?: for)?|excluding|other than|apart from|aside from|instead of|rather than"
    r"|unlike|not)\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)"
)
BOTH = re.compile(r"\bboth\b.+\band\b", re.IGNORECASE)

# -- What kind of answer a question wants (see :func:`rag.question.intent_of`) -------

_ARTICLES = r"(articles?|stories|story|reports?|pieces?|documents?|coverage|news|items?)"
_OUTLET_WORDS = r"(sources?|outlets?|publications?|publishers?|newspapers?|papers?|sites?)"
# About the collection itself: which articles, outlets and dates the index holds.
COLLECTION_LIST = re.compile(
    rf"^\W*((which|what) ({_ARTICLES}|{_OUTLET_WORDS})\b.*\b(do you have|have you got|are (there|available|indexed"
    rf"|loaded)|can you (see|read|access)|you have|do you know)\b"
    rf"|(please )?(list|show|name)( me)? (all |the |your |every )*({_ARTICLES}|{_OUTLET_WORDS})\b"
    # "What are the headlines?": the articles, by headline.
    rf"|(what are|show me|give me|list) (the |today'?s |your )*(top |main |latest )?headlines\W*$)",
    re.IGNORECASE,
)
#: "What's the latest on X", "where do things stand now": the newest articles first.
LATEST = re.compile(
    r"\b(latest|newest|(most )?recent|current(ly)?|right now|now|so far|up to date|updates?|developments|any news)\b"
    r"|^\W*what('s| is) new\b",
    re.IGNORECASE,
)
#: "the *election* article", "the *Market Wire* story": words that name an article.
ARTICLE_NAMED = re.compile(rf"\b(?:the|this|that) ((?:[\w'’.-]+ ){{1,4}}?){_ARTICLES}\b", re.IGNORECASE)
#: "Which outlets / sources ...": the list wanted is of outlets, not articles.
OUTLETS = re.compile(rf"\b{_OUTLET_WORDS}\b", re.IGNORECASE)
COLLECTION_COUNT = re.compile(rf"^\W*how many {_ARTICLES}\b", re.IGNORECASE)
#: "Which outlets covered the match?", "Which articles mention Storm Idris?": the articles
#: (or their outlets) that mention the subject, from the records. Only a question that
#: asks nothing more: "... and how do they differ?", "... first?", "... how many died?",
#: "... the timeline of ..." and "mentioned that ..." ask for more than the list.
COLLECTION_COVERAGE = re.compile(
    rf"^\W*(which|what) ({_OUTLET_WORDS}|{_ARTICLES}) (have |has |had )?(covered|cover|covers|(reported|report|reports) on"
    rf"|(wrote|write|writes) about|mention|mentioned|mentions|discussed|discuss|discusses|(are|were|is|was) about)\b"
    r"(?! that\b)(?![^?]*(,|\b(and|or|but|first|last|earliest|latest|how|what|when|where|why|who|which|whether"
    r"|differ|agree|timeline|compare)\b))",
    re.IGNORECASE,
)
#: "Which outlets ...", "What sources ...": a list of outlets is asked for, not of articles.
OUTLETS_ASKED = re.compile(rf"^\W*(which|what|list|name)( the| all| your)* {_OUTLET_WORDS}\b", re.IGNORECASE)
COLLECTION_PUBLISHED = re.compile(
    rf"^\W*(when|(on )?what (date|day))\b.*\b{_ARTICLES} (was |were )?(published|written|posted|released|dated)\b"
    rf"|^\W*what is the (publication )?date of\b",
    re.IGNORECASE,
)
TIMELINE = re.compile(
    r"\b(timeline|time line|chronology|chronological(ly)?|sequence of events|key dates"
    r"|in what order|order of events|step by step|(main|key|major) events in order|walk me through (what happened|the events))\b"
    r"|\bwhat happened when\W*$|\bwhat happened and when\b|\bhow (did|has|have) .{3,80} (unfold(ed)?|develop(ed)?|evolved?)\b"
    r"|\b(events|developments|what happened),? (by date|in (chronological |date )?order)\b"
    r"|^\W*trace (the )?(events|story|developments)\b",
    re.IGNORECASE,
)
COMPARISON = re.compile(
    rf"\bhow (do|does|did)\b.{{3,120}}\b(differ|compare|contrast)\b"
    rf"|\b(differences?|disagreements?) (between|among|in how)\b"
    rf"|^\W*(compare|contrast)\b"
    rf"|\b(do|does|did) (the |these |both |all )*({_OUTLET_WORDS}|{_ARTICLES}) (all )?(agree|disagree|differ|contradict)\b"
    rf"|\bwhat (does|did) each ({_OUTLET_WORDS}|{_ARTICLES}|article|outlet)\b"
    rf"|\b(where|on what|how) do (the )?({_OUTLET_WORDS}|{_ARTICLES}) (agree|disagree|differ)\b",
    re.IGNORECASE,
)
OVERVIEW = re.compile(
    rf"\bwhat('s| is| are)( this| the| these| those| that)? {_ARTICLES} (all )?(about|on)\b"
    rf"|^\W*what('s| is) (the|this) (story|news|gist|upshot|situation)\b"
    r"|\b(summari[sz]e|summari[sz]ing|summary|overview|recap|gist|tl;?dr|brief me|catch me up|key points|main points"
    r"|takeaways?|big picture|rundown|in a nutshell|sum (it |this |that |them |these |everything |things )?up)\b"
    # Of the story itself, by a pronoun or in a reader's own words.
    r"|^\W*what('s| is| are) (this|it|that|these|they|those)( all)? about\W*$"
    # "What is the Estovia election story about?": the story named by its subject.
    rf"|^\W*what('s| is| are) (the|this|these|those|that) "
    rf"((?!(?:in|of|on|at|from|by|with|for|mentioned|about|the)\b)[\w'’.-]+ ){{1,5}}{_ARTICLES} (all )?about\W*$"
    rf"|^\W*(explain|describe|tell me about) (the|this|these|those) {_ARTICLES}( (in brief|briefly|in short))?\W*$"
    r"|^\W*what('s| is) the latest\b"
    rf"|^\W*what do (the |these |those |all )*{_ARTICLES} (say|tell|report|cover)\W*$"
    # Asked with no subject, or of the story itself, "what is new" is the news; "What's
    # new in iOS 17?" asks for a fact and keeps the model's path.
    rf"|^\W*what('s| is) new( (in|with|on) (this|the|these|those) {_ARTICLES})?\W*$"
    r"|^\W*what are the (latest|newest|most recent|recent) (developments|updates|news)\b"
    r"|^\W*(are there )?any (news|updates?|developments|new developments)\b"
    r"|^\W*(give me|I'd like|I want) an update\b"
    r"|^\W*((so|briefly|in short|in brief|quickly),? )?what (has )?happened(,? (briefly|in short|in brief))?\W*$"
    r"|^\W*what('s| is) (happening|going on)( here)?\W*$",
    re.IGNORECASE,
)

PRESUPPOSES = re.compile(r"\s*(why|how come|what (caused|led|prompted|made))\b", re.IGNORECASE)

# -- Reading a draft answer ----------------------------------------------------

# Where a sentence joins two claims, possibly from two articles: "A says X, while B says Y".
CLAIM_JOIN = re.compile(r",?\s+(?:while|whereas)\s+|;\s+|,\s+and\s+(?=the\s|[A-Z])|,\s+but\s+")
# Two markers joined by a word ("[1] and [2]", "[1], [3]"): the word is part of the
# citation and leaves with the markers.
MARKERS_JOINED = re.compile(r"(\[\d+(?:\s*[,;–-]\s*\d+)*\])\s*(?:,|;|&|and|or)\s*(?=\[\d)", re.IGNORECASE)
# A sentence whose subject is a citation marker: "[2] also states that ...".
MARKER_SAYS = re.compile(
    r"^\s*((?:\[\d+(?:\s*[,;–-]\s*\d+)*\]\s*(?:and\s+|&\s*|,\s*)?)+)(?:also\s+|further\s+)?(?:"
    + "|".join(sorted(LEXICON.reporting_verbs))
    + r")\s+(?:that\s+)?(?=\S)",
    re.IGNORECASE,
)
#: Words that make the markers closing a sentence the object of a preposition, as if the
#: passages were a place or a person ("was 24,310, as quoted in [1].", "which is cited in
#: [1].", "imposed by the judge in [1]."): without them the markers cite as usual.
_MARKERS_AT_END = r"(?:\[\d+(?:\s*[,;–-]\s*\d+)*\]\s*(?:,|;|&|and|or)?\s*)+[.!?]?\s*$"
MARKERS_AS_OBJECT = re.compile(
    r"(?:,?\s*\b(?:(?:which|that) (?:is|was|are|were) |as )(?:\w+ly )?"
    r"(?:stated|mentioned|noted|reported|quoted|cited|described|found|recorded|given|shown|listed|said|written) "
    # ", which is consistent with the information provided in [2]": the passages as a thing.
    r"|,?\s*\b(?:(?:which|that) (?:is|was|are|were) )?(?:consistent with|in line with|according to|based on) "
    r"(?:the |what )?(?:information|details?|passages?|articles?|text|sources?|context|data)"
    r"(?: (?:is |are )?(?:provided|given|stated|shown|presented|available))? "
    r"|\s+)"
    rf"(?:in|from|by)\s*(?={_MARKERS_AT_END})",
    re.IGNORECASE,
)
#: Markers that start a sentence as its subject, followed by its verb ("[2] does not mention
#: X", "[1] and [3] both mention X"), not by a sentence of its own ("… Niamey. [2] The US
#: left", "[1] eBay cut 1,000 jobs") or nothing ("… Niamey. [1] and [2]").
SUBJECT_MARKERS = re.compile(
    r"(?:\s*\[[\d\s,;–-]+\](?:\s*(?:and|or|&|,)(?=\s*\[))?)+\s*(?!(?:and|or)\s*\[)[a-z][a-z'’-]*\b"
)
# Two or more outlet-like names joined by "and": "The Verge and TechCrunch".
_WORD_IN_NAME = r"(?-i:[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*)"  # "CBSSports.com", not a final full stop
_OUTLET_NAME = rf"(?:the )?{_WORD_IN_NAME}(?: {_WORD_IN_NAME})*"
_OUTLETS = rf"{_OUTLET_NAME}(?:, {_OUTLET_NAME})* and {_OUTLET_NAME}"
_FRAMING_PHRASES = [
    # Attribution to two outlets at once ("Both Engadget and TechCrunch reported that ...",
    # "According to articles from both Fortune and TechCrunch, ...", "..., as reported by
    # both TechCrunch and The Verge"): no one passage names both; each claim is checked
    # against the passage it cites instead.
    rf"^(according to )?(the )?(articles?|reports?|stories) (from|by|in) (both )?{_OUTLETS},\s*",
    rf"^according to (both )?{_OUTLETS},\s*",
    rf"^(both {_OUTLETS}|{_OUTLETS} both) (reported|report|say|said|state|stated|note|noted|wrote|agree)( that)?\s+",
    rf",?\s*\bas (reported|stated|noted|discussed) (by|in) (both )?{_OUTLETS}(?=[.!?]?$)",
    r",?\s*\baccording to\s*(?=,|[.!?]?$)\s*,?\s*",  # "According to [1], …" once the marker is gone
    r"^(the |this )?(passages?|articles?|sources?|text)( from)?( \d+)?\s+(also\s+)?(states?|says?|mentions?|reports?|notes?|shows?)( that)?\s*",
    # "Based on the information provided in the passages, ...", "From the articles given, ..."
    r"^(?:based on|according to|from|given|judging by)\s+(?:the\s+)?(?:(?:information|details?|data|facts?|content)"
    r"(?:\s+(?:provided|given|available|presented|stated|contained))?\s+(?:in|from|by|within)\s+(?:the\s+)?)?"
    r"(?:provided\s+|given\s+)?(?:passages?|articles?|sources?|texts?|context)(?:\s+(?:provided|given|above))?\s*,\s*",
    # "According to the passage(s) [1]," / "as stated in [1] and [2]" / "(see passage 2)"
    r"\baccording to (the )?(passages?|articles?|sources?|text)( \d+)?\s*,?\s*",
    r",?\s*\(?\b(as )?(stated|mentioned|noted|reported|quoted|cited|described|found) (in|by) "
    r"(the )?(both |each )?(passages?|articles?|sources?)?[\s\d,;&]*(and\s*)?[\s\d,]*\)?"
    r"(?=[.!?]?$)",
    r"\b(this|it) is (stated|mentioned|quoted|reported|found) in\b.*$",
    # Invented citation sentences: "This is supported by passage [2].", "(Source: passage 1)"
    r"^(this|that|it|which|these|both)( (fact|information|claim|statement|detail)s?)? (is|are|was|were|can be) "
    r"(also )?(supported|confirmed|stated|mentioned|shown|indicated|backed|corroborated|found|seen|cited|based) "
    r"(by|in|on)\b.*$",
    r"\(?\bsources?:\s*(passages?)?[\s\d,;&]*\)?(?=[.!?]?$)",
    # "..., citing the passage from [1]." / "(based on passage 2)" / "as per the article"
    r",?\s*\(?\b(citing|per|see|based on|as per|from|in|according to) (the )?(passages?|articles?|sources?|text)"
    r"( from| in)?[\s\d,;&]*(and\s*)?[\s\d,]*\)?(?=[.!?]?$)",
    # "..., citing [1]." / "(see [2])" once the marker is gone: a dangling citation word.
    r"(?:,\s*|\s*\()\b(citing|see|cf\.?|per|from|as (stated|reported|cited|noted|mentioned) (in|by))\s*\)?"
    r"(?=[.!?]?$)",
    # The prompt's own lines echoed ("Question: What did they discuss?"), and a label
    # before the answer ("Answer: ...").
    r"^(question|conversation so far|passages?|user)\s*:.*$",
    r"^(answer|assistant)\s*:\s*",
    # "This can be inferred from the passage that states ..."
    r"^(this|it|that) (can|could|may) be (inferred|seen|concluded|deduced|found|confirmed|understood) "
    r"(from|in|by)\b.*$",
]
#: The model's word for what it read ("The passage from TechCrunch, October 31, 2023,
#: states ...", "mentioned in the passages"): the reader reads articles. Not the passage
#: of a bill ("the passage of the law").
PASSAGE_WORD = re.compile(r"\b(the|this|that|each|both|these|those|one) passage(s?)\b(?! of\b)", re.IGNORECASE)
# A sentence about the sources rather than the news ("This information is cited from
# passage.", "He cites passage for this information."): dropped when nothing supports it.
ABOUT_THE_SOURCES = re.compile(r"\b(passages?|sources?)\b|\b(this|the|that) information\b|\bboth and\b", re.IGNORECASE)
FRAMING = [re.compile(p, re.IGNORECASE) for p in _FRAMING_PHRASES]
# Where a clause can end: at a comma, or before a word that opens a new clause. Not before
# a bare "and"/"as": "held up Nigerien and Russian flags" must not become "held up Nigerien".
_BEFORE_A_CLAUSE = r"\s+(?=(?:that|which|who|while|whereas|but|because|although|though|after|since)\s)"
CLAUSE_BREAK = re.compile(r",\s+|" + _BEFORE_A_CLAUSE)
# Only before a word that opens a clause: a comma also separates list items and
# appositions ("rays, spirals and flickers"), where what comes before is no clause.
SUBORDINATE_BREAK = re.compile(_BEFORE_A_CLAUSE)

# -- The verdict's checks ------------------------------------------------------

#: "Who reported that?", "Which outlet published this?", "Where is that from?", "What's
#: the source?": a question about where the last answer's news comes from, whose answer is
#: an article's outlet, not a fact in its text.
SOURCE_QUESTION = re.compile(
    rf"^\W*(who|which {_OUTLET_WORDS}|what {_OUTLET_WORDS})( first)? (reported|published|wrote|broke|ran)"
    r"( (that|this|it|the (story|news|report)))?\W*$"
    r"|^\W*where (is|was|does|did) (that|this|it)( news| story)? (come )?from\W*$"
    r"|^\W*what('s| is| was) (the|your) source( (of|for) (that|this|it))?\W*$",
    re.IGNORECASE,
)
YES_NO_LEAD = re.compile(r"^\s*(yes|no)\b[\s,.;:!—–-]*", re.IGNORECASE)
#: Chat-template control sequences ("<|im_start|>", "[INST]"): never news, and never to
#: reach the model or a reader from article or user text.
CONTROL_TOKENS = re.compile(r"<\|[^|>]{0,40}\|>|</?s>|\[/?INST\]")
#: A chat turn planted in an article: from a token that opens one ("<|im_start|>",
#: "<|start_header_id|>", "[INST]", whose reply follows "[/INST]") to the token that ends
#: it within 2,000 characters, across line breaks, else to the paragraph's end (bounded,
#: so that a hostile file of many openers is read in linear time). A lone token of
#: another kind ("<s>", an end token a story about models quotes) opens no turn.
PLANTED_TURN = re.compile(
    r"(?:<\|(?:im_start|start_header_id|system|user|assistant)\|>|\[INST\])"
    r"(?:[\s\S]{0,2000}?(?:<\|(?:im_end|eot_id|end|endoftext)\|>|</s>)|.*?(?=\n\s*\n|\Z))",
    re.DOTALL,
)
#: A web address written out ("https://…", "www.…", "evil-example.com/verify"), not a
#: company's name ("Amazon.com").
WEB_ADDRESS = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/[\w/?=&%#.-]", re.IGNORECASE)
LINK = re.compile(r"\b(https?://|www\.)\S+|\b[\w-]+\.(com|org|net|io|invalid|info|biz)\b", re.IGNORECASE)
ASKS_FOR_LINK = re.compile(r"\b(link|url|website|web ?site|web address|site|online|where can i)\b", re.IGNORECASE)
IMPERATIVE = re.compile(
    r"^(please\s+)?(visit|click|go to|call|contact|ignore|disregard|subscribe|follow|download|sign up|"
    r"register|buy|send|share|tell|reply|respond)\b",
    re.IGNORECASE,
)
QUANTITY_WORDING = re.compile(r"\d|\b(" + "|".join(sorted(LEXICON.number_words)) + r"|no)\b", re.IGNORECASE)
TIME_WORDING = re.compile(r"\d|\b(" + "|".join(sorted(LEXICON.date_words)) + r")\b", re.IGNORECASE)
# A percentage however the outlet writes it: "58%", "58 per cent", "58 percent".
PERCENT = re.compile(r"%|\bper\s?cent\b", re.IGNORECASE)
# "How much did X pay / cost / earn": the answer is an amount of money.
MONEY_QUESTION = re.compile(
    r"\bhow much\b.*\b(pay|paid|pays|cost|costs|spend|spent|earn|earned|earns|charge|charged|"
    r"price|worth|fund|funded|raise|raised|sell|sold|buy|bought|fee|salary|wage|revenue|profit|budget)\b",
    re.IGNORECASE,
)
#: Currencies by name: those news names alone ("paid in dollars") and those it names only
#: after a figure ("40,000 kroner"). One list for :data:`MONEY` and :data:`CURRENCY_AFTER`.
_CURRENCY_NAMES = r"dollars?|euros?|pounds?|yen|yuan|renminbi|francs?|rupees?|naira|rand|pesos?"
_CURRENCIES_AFTER_A_FIGURE = (
    r"kroner|krone|kronor|krona|zloty|zlotys|złoty|lira|liras|lire|shekels?|ringgit|baht|dirhams?|riyals?|"
    r"rials?|reais|roubles?|rubles?|hryvnias?|forints?|koruna|dinars?|kwacha|shillings?|cedis?|rupiah|leu|leva|"
    r"tenge|guilders?|bitcoins?"
)
MONEY = re.compile(
    rf"[$£€¥₹₩₽₺₪₦₱₫฿₴₸₲₡]|\b({_CURRENCY_NAMES}|cents?|pence|usd|eur|gbp|cfa|free|nothing)\b"
    # Other currencies, named only after a figure ("40,000 kroner") ...
    # (A figure is matched from its first digit only: tried from every digit of a long
    # run, the search took quadratic time.)
    rf"|(?<![\d,])(?<!\d\.)\d(?:[\d.,]*\d)?(?:\s+(?:thousand|million|billion|trillion|bn|mn|m|k))?\s+(?:{_CURRENCIES_AFTER_A_FIGURE})\b"
    # ... and those that are words too ("2025 marks", "won 52 seats", "3 real contenders")
    # only after a figure's scale ("6.8 million marks", "1.2 trillion won").
    r"|(?<![\d,])(?<!\d\.)\d(?:[\d.,]*\d)?\s+(?:thousand|million|billion|trillion|bn|mn)\s+(?:won|real|marks?|lei|lev|dong|lari|taka|birr)\b",
    re.IGNORECASE,
)

#: A currency named after a figure and its scale ("45 million pounds", "40,000 kroner"):
#: group 1 is its name, which :data:`CURRENCY_SIGNS` writes as the sign others use.
CURRENCY_AFTER = re.compile(
    rf"\s*(?:(?:thousand|million|billion|trillion|bn|mn|m|k)\s+)?({_CURRENCY_NAMES}|{_CURRENCIES_AFTER_A_FIGURE})\b",
    re.IGNORECASE,
)
CURRENCY_SIGNS = {"dollar": "$", "dollars": "$", "euro": "€", "euros": "€", "pound": "£", "pounds": "£", "yen": "¥"}

# -- Plans and their changes -----------------------------------------------------

# A sentence that states a plan or a schedule: "will open in December", "is due to launch",
# "remains on track for October".
PLAN = re.compile(
    r"\b(?:will|shall)\b|\b(?:is|are|was|were|remains?|remained)\s+(?:still\s+)?"
    r"(?:due|set|scheduled|slated|expected|planned|on track|on schedule)\b|\bplans?\s+to\b",
    re.IGNORECASE,
)
# A sentence that reports a plan put off, moved or called off.
PLAN_CHANGED = re.compile(
    r"\b(?:postponed|delayed|delays|pushed back|put back|put off|called off|cancell?ed|scrapped|shelved|"
    r"re-?scheduled|brought forward|moved (?:back|forward|up)|"
    r"on hold|on ice|halted|(?:will|would) not go ahead|(?:won't|won’t) go ahead|no new date)\b",
    re.IGNORECASE,
)
# The new time a report of a change gives, after its change word: "rescheduled *for 23
# March*", "pushed back *to the autumn*", "postponed *until Sunday*" (the word caught must
# be a month, weekday or season). "The council on Tuesday postponed the vote" gives none.
PLAN_NEW_TIME = re.compile(
    r"\b(?:for|to|until|till)\s+(?:(?:the|next|late|early|\d{1,2}(?:st|nd|rd|th)?)\s+){0,2}([A-Za-z]+)\b"
)
# A hyphenated compound, read as one word where its parts would mislead ("semi-final").
COMPOUND = re.compile(r"(\w)-(?=\w)")
# When a plan falls, besides figures, months and weekdays (LEXICON.time_words).
SEASON = re.compile(r"\b(spring|summer|autumn|fall|winter)\b", re.IGNORECASE)
# A year that bounds or compares rather than dates what is asked ("the first title *since
# 2019*", "up *from 2023*"): an answer need not be about that year.
YEAR_BOUND = re.compile(
    r"\b(?:before|after|since|until|till|prior\s+to|by|from|between|than|compared\s+(?:with|to)|versus|vs\.?)"
    r"\s+(?:the\s+)?(?:(?:start|end|beginning)\s+of\s+)?(?:\w+\s+)?(\d{4})\b",
    re.IGNORECASE,
)
# Two years that span a time ("between 2020 and 2024", "2019-2023"): any year within is asked.
YEAR_SPAN = re.compile(r"\b\d{4}\s*(?:and|to|through|-|–)\s*\d{4}\b", re.IGNORECASE)

# -- Support -------------------------------------------------------------------

# Another year named by its distance from the story's own ("last year's champion", "next
# season"): the passage is about more than one year, even when it gives no year in digits.
# ("Up 5 percent from a year earlier" compares a figure; it is left out.)
OTHER_YEAR = re.compile(r"\b(?:last|previous|prior|next|past) (?:year|season|edition)\b", re.IGNORECASE)

CORRECTION = re.compile(
    r"\b(not|no|never|rather|instead|actually|only|but|however|incorrect|false|wrong|contrary)\b|n't\b",
    re.IGNORECASE,
)

# -- Discrepancies between articles --------------------------------------------

FIGURE = re.compile(r"\d[\d,.]*\d|\d")
#: Words between double quotation marks, straight or curly: a quote.
QUOTATION = re.compile(r"[\"“]([^\"“”]+)[\"”]")
CAPITALISED_WORD = re.compile(r"\b[A-Z][a-zA-Z'’-]{3,}")

#: A run of capitalized words: a name as written ("Halden City FC", "Darius Wellan").
NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
