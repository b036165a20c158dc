"""Slack shorthand and everyday words put in the report's terms before a question is read.

"how many studies did the HF scan analyse?" asks about the Health Foundation, and "orgs" are
organisations: the notes spell these out, so an abbreviation must not make a covered question
look like one about a name the guidance never uses. Chat filler ("pls", "lol") names no topic
and is dropped. "Buy-in", "morale", "pushback" and "hurdles" are how people who never read the
report say engagement, motivation, resistance and barriers ("strands of work" are workstreams),
and idioms ("pie in the sky", "dug in", "straight away", "bring the team with me", "win staff
over") carry no topic in their words. The lists are ours and short on purpose:
only words whose meaning is not in doubt in an NHS workspace.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.common.privacy import PrivacyResult, screen
from bot.core.answering.question_form import EMOJI
from bot.core.answering.topics import one_edit, without_leading_purpose

_SPELLED_OUT: dict[str, str] = {
    "hf": "Health Foundation",
    "hfs": "Health Foundation's",
    "thf": "The Health Foundation",
    "qi": "quality improvement",
    "nhse": "NHS England",
    "nhsei": "NHS England",
    "orgs": "organisations",
    "org": "organisation",
    "ned": "non-executive director",
    "neds": "non-executive directors",
    "ceo": "chief executive",
    "ceos": "chief executives",
    "exec": "executive",
    "execs": "executives",
    "mgmt": "management",
    "govt": "government",
    "dept": "department",
    "ppl": "people",
    "info": "information",
    "doc": "document",
    "docs": "documents",
    "eg's": "examples",
    "egs": "examples",
    "lit": "literature",
    # text-speak ("wot r the 4 barriers", "how many ppl", "abt", "pg 12")
    "wot": "what",
    "wat": "what",
    "abt": "about",
    "pg": "page",
    "yr": "year",
    "yrs": "years",
    "b4": "before",
    "cos": "because",
    "bc": "because",
    "coz": "because",
    "approx": "approximately",
    "diff": "difference",
    "im": "I'm",
    "tmrw": "tomorrow",
    "comms": "communications",
    "tmr": "tomorrow",
    "2moro": "tomorrow",
    "whats": "what's",
    # contractions typed without their apostrophe ("theres no bandwidth left"); "didnt it?" is
    # left as typed, which the tag-question rules read
    "theres": "there is",
    "thats": "that is",
    "theyre": "they are",
    "youre": "you are",
    "sro": "senior responsible owner",
    "thru": "through",
    "max": "maximum",
    "til": "until",
    "cops": "police",
    "theyve": "they've",
    # typos of short words the one-letter check leaves alone (it starts at seven letters)
    "wich": "which",
    "barier": "barrier",
    "bariers": "barriers",
    "reccomendations": "recommendations",
    "reccomendation": "recommendation",
    "reccomend": "recommend",
    "rag": "status (red, amber or green)",
    "sros": "senior responsible owners",
    # staff's shorthand for times, people and paperwork ("6 wks", "pts", "self refs", "appts")
    "wk": "week",
    "wks": "weeks",
    "qtr": "quarter",
    "qtrs": "quarters",
    "hr": "hour",
    "hrs": "hours",
    "mins": "minutes",
    "pt": "patient",
    "pts": "patients",
    "kids": "children",
    "refs": "referrals",
    "appt": "appointment",
    "appts": "appointments",
    "meds": "medicines",
    "vax": "vaccination",
    "chemo": "chemotherapy",
    "onc": "oncology",
    "physio": "physiotherapy",
    "paeds": "paediatrics",
    "vaxx": "vaccination",
    "jabs": "vaccinations",
    "jab": "vaccination",
    "hitting": "meeting",
    "tues": "Tuesday",
    "weds": "Wednesday",
    "thurs": "Thursday",
    "thur": "Thursday",
    # months as people date things ("the scan says feb 2015")
    "jan": "January",
    "feb": "February",
    "apr": "April",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sept": "September",
    "oct": "October",
    "nov": "November",
}
_FILLER = frozenset(
    {
        "pls",
        "plz",
        "lol",
        "tbh",
        "thx",
        "fyi",
        "btw",
        "imo",
        "imho",
        "ngl",
        "idk",
        "tia",
        "ty",
        "um",
        "umm",
        "erm",
        "uh",
        "hiya",
        "heya",
        "rn",  # right now
        "atm",  # at the moment
    }
)
# sign-offs that are also words of the service: "thanks in advance" only at the end, never the
# "7 day TIA proposal" (a transient ischaemic attack clinic)
_SIGN_OFFS = frozenset({"tia"})
_SAID_AFTER = re.compile(r"\w{2,}")  # a word follows: not signing off
_WORD = re.compile(r"(?<![\w'])[A-Za-z][A-Za-z0-9]*(?:'s?)?(?![\w'])")

# "could you please confirm …": a formal request for a fact
_CONFIRM = r"\b(?:could|can|would) you (?:please |kindly )?confirm(?: for me)?"

# the documents, as people name them
_DOCUMENT = r"the (?:main |full |whole )?(?:report|supplement|evidence scan|scan)"

# people one may bring along or win over ("my team", "the staff", "them")
_GROUP = r"((?:the |my |our |your )?(?:staff|people|colleagues|team|them|everyone))"

LAST_CENTURY = 70  # "in 98/99" is 1998/99


def _financial_year(match: re.Match[str]) -> str:
    """A financial year typed short, "in 24/25", as "in 2024/25"; "by 10/12", a date, is left."""
    before, start, end = match.group(1), int(match.group(2)), int(match.group(3))
    if end != (start + 1) % 100:
        return match.group(0)
    century = "19" if start >= LAST_CENTURY else "20"
    return f"{before} {century}{match.group(2)}/{match.group(3)}"


# phrases, applied in order before the word list: "CC" in capitals is the report in this
# workspace ("cc" in lower case is more often "copy to"); "an eg" is an example ("eg staffing" is
# left alone); then everyday words for the report's own terms, as people who never read it put them
_PHRASES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    # "4hr response", "6-8wk checks": a number glued to its unit
    (re.compile(r"\b(\d+(?:-\d+)?) ?hrs?\b", re.IGNORECASE), r"\1 hours"),
    (re.compile(r"\b(\d+(?:-\d+)?) ?wks?\b", re.IGNORECASE), r"\1 weeks"),
    (re.compile(r"\b(\d+(?:-\d+)?) ?mins?\b", re.IGNORECASE), r"\1 minutes"),
    # "in 24/25": the financial year 2024/25, as a trust's report writes it
    (
        re.compile(r"\b(in|for|during|of|fy|yr|year|from|since|by) (\d{2})/(\d{2})(?![\d/])", re.I),
        _financial_year,
    ),
    # "the max rate we're allowed to pay": what we can pay; "allowed" is no topic of the rate
    (
        re.compile(
            r"\b(we|i|you|they|he|she)(?:'re|'m|'s| are| am| is) (?:allowed|permitted) to\b", re.I
        ),
        r"\1 can",
    ),
    # "65ww breaches": waits of 65 weeks, as a waiting list reports them
    (re.compile(r"\b(\d+) ?ww\b", re.IGNORECASE), r"\1 weeks wait"),
    (re.compile(r"\bCC(?=\b|'s)"), "Constructive comfort"),
    # "is the barriers one basically an SR?": a systematic review ("Sr Jones" is a sister)
    (re.compile(r"\b(an|the) SRs?\b"), r"\1 systematic review"),
    # text-speak in lower case only ("wot r the barriers", "can u list"): "R" and "U" may be names
    # ("r&d", "u/s" are left alone)
    (re.compile(r"(?<![\w'.&/])r(?![\w'.&/])"), "are"),
    (re.compile(r"(?<![\w'.&/])u(?![\w'.&/])"), "you"),
    (re.compile(r"(?<![\w'.&/])ur(?![\w'.&/])"), "your"),
    # a document asked about by its title: the title is a question, and the notes call it by name
    (
        re.compile(r"['\"‘“*]?\bwhat['’]?s getting in the way\b\??['\"’”*]?", re.IGNORECASE),
        "the evidence scan",
    ),
    *(
        (re.compile(pattern, re.IGNORECASE), words)
        for pattern, words in (
            (r"\b(an|one|another) eg\b", r"\1 example"),
            # "the partnership-wide DNA %", "trust-wide": the whole organisation's figure (the
            # report's own "system-wide" and "organisation-wide" barriers are kept)
            (r"\b(?!system-|organi[sz]ation-)[a-z]+-wide\b", "overall"),
            (r"\bat the (?:mo|min)\b", "now"),
            # "which organisations does it have in mind?": what it means, no topic of its own
            (r"\b(?:have|has|had|having|bear|bears|keep|keeps|keeping)\s+in\s+mind\b", "mean"),
            (r"\bthrough the lens of\b", "in"),
            # "could you walk me through the seven success factors?": explain them
            (r"\b(?:walk|talk|run|take)\s+(?:me|us)\s+through\b", "explain"),
            # "how many people does the supplement thank by name?": its acknowledgements
            (r"\bthank(?:s|ed)?\s+(?:\w+\s+)?by\s+name\b", "name in the acknowledgements"),
            # "the HF barriers paper": the evidence scan on barriers
            (
                r"\b(?:the\s+)?(?:(?:hf|health foundation)(?:'s)?\s+)?barriers?\s+(?:paper|review|"
                r"piece)\b",
                "the evidence scan",
            ),
            # "I need the exact day Constructive comfort was launched": its date
            (
                r"\bthe (?:exact |precise |actual )?day (?=[^?.]{0,60}\b(?:launched|published|"
                r"released|came out)\b)",
                "the date ",
            ),
            # "what annual % did they say the NHS needed?": the rate a year the guidance gives
            (r"\bannual (%|per ?cent|percentage|growth|productivity growth|rate)", r"\1 a year"),
            # "our OD team": organisational development ("OD" alone may be a dose's once daily)
            (
                r"\bOD(?= (?:team|teams|lead|leads|department|practitioners?|programme|function|"
                r"colleagues|partners?|specialists?)\b)",
                "organisational development",
            ),
            # "who was actually in the room for the workshops?": who took part in them
            (
                r"\bwho\s+(?:was|were)\s+(?:actually\s+|really\s+)?in\s+the\s+room\s+(?:for|at|during)\b",
                "who took part in",
            ),
            # "what type of document is it classed as?": what it is described as ("classes" in a
            # trust's timetable stay a topic)
            (r"\b(?:classed|classified|categori[sz]ed)\s+as\b", "described as"),
            # "the workshops they ran for this report": the report's workshops
            (
                r"\b(workshops?|interviews?)\s+(?:that\s+)?(?:they|hf|the foundation)\s+"
                r"(?:ran|held|organised|organized|hosted|did)\b",
                r"\1",
            ),
            # "I've seen it cited in a pack as a March 2015 paper": where it was cited is no topic
            (
                r"\b(cited|quoted|referenced|described|listed|dated)\s+in\s+(?:a|an|the|our|my|some|"
                r"one)\s+(?:[\w'-]+\s+)?(?:pack|paper|slide|deck|document|email|presentation|bulletin|"
                r"newsletter|briefing)\s+as\b",
                r"\1 as",
            ),
            # "a one-page visual version of the report": its infographic
            (
                r"\b(?:an?\s+)?(?:one-?\s?page|single-?\s?page)\s+(?:visual|graphic|picture|"
                r"diagram)(?:\s+(?:version|summary|overview))?\b|\b(?:an?\s+)?visual\s+summary\b",
                "an infographic",
            ),
            # "when would round the clock outreach start?": a service's 24/7 cover, as documents
            # write it
            (r"\b(?:round|around)[- ]the[- ]clock\b", "24/7"),
            # "the barriers scan": the evidence scan by its topic
            (r"\bthe barriers? (?:evidence )?scan\b", "the evidence scan"),
            (r"\b(hurdles|roadblocks|blockers)\b", "barriers"),
            (r"\b(hurdle|roadblock|blocker)\b", "barrier"),
            (r"\bbuy-?in\b", "engagement"),
            (r"\brecs\b", "recommendations"),
            (r"\brec\b", "recommendation"),
            # "ch 6", "chap. 4": a chapter of the document
            (r"\b(?:ch|chap)\.? ?(?=\d)", "chapter "),
            # "… a systematic review? trying to judge how much weight to put on it": after the
            # question, why it is asked is not what it asks
            (
                r"(?<=\?)\s+(?:(?:i'?m|we'?re|am|just)\s+)*(?:trying|wanting|hoping|needing) to "
                r"[^?]*$",
                "",
            ),
            # "wait, was the supplement written by consultants??": a start of surprise, no topic
            (r"^\s*(?:wait|hang on|hold on)\s*[,.!?]+\s*", ""),
            # "the HF's main criticism of how national bodies …": its judgement of them
            (r"\bcriticisms?\b", "judgement"),
            (r"\bcriticis(?:e|ed|es|ing)\b", "judged"),
            # "… about right in 2015?", "back in 2015": the report's own year is no topic
            (r"\s+(?:back\s+)?(?:in|around)\s+2015(?=\s*\?*\s*$)", ""),
            # "can you check before it goes out?": confirm it ("check" may be a trust's topic)
            (
                r"\b(can|could) (you|someone|somebody|anyone) (?:please )?(?:check|verify)\b",
                r"\1 \2 confirm",
            ),
            # "I work at a national arm's-length body": a national body, in the report's words
            (r"\b(?:national\s+)?arm'?s[- ]length\s+bod(y|ies)\b", r"national bod\1"),
            # "how much notice do they want?": how many days before (the documents give days)
            (
                r"\bhow much notice (?:do|does|will|would) (?:they|you|we|it|the \w+) "
                r"(?:want|need|require|ask for)\b",
                "how many days before do they need it",
            ),
            # "which firm?": which organisation
            (r"\b(?:which|what) (?:firm|company|consultancy)\b", "which organisation"),
            # "Good afternoon. … Many thanks.": a greeting and thanks are no topic
            (r"^\s*(?:good (?:morning|afternoon|evening)|hello|hiya|hi|hey)\b[\s,.!]*", ""),
            (
                r"(?<=[.!?])\s*(?:many thanks|thanks (?:so much|in advance|a lot)"
                r"|thank you(?: (?:so much|in advance))?|thanks|cheers)[.!]*\s*$",
                "",
            ),
            # "…? ta, off to clinic now": thanks and an aside after the question
            (r"(?<=\?)\s+(?:ta|thanks|thank you|cheers|thx|ty|much appreciated)\b[^?]*$", ""),
            # "Two things on the supplement - …": how many asks follow, not a count asked about
            (
                r"^\W*(?:two|2|three|3|a couple of|couple of) (?:things|questions|qs|quick (?:ones|"
                r"qs|questions))\s*(?:on|about|re|for)?\s*",
                "",
            ),
            # "not the supplement, the scan - …": the document set aside at the start
            (
                r"^\W*not the (?:supplement|evidence scan|scan|main report|report),\s*",
                "",
            ),
            # "the scan - what's it actually called?": its title
            (
                r"\bwhat(?:'s| is| was) (?:it|that|this) (?:actually |really |officially |"
                r"properly )?called\b",
                "what is the title",
            ),
            # obstacles by other names: the report's barriers (the scan's own list stays the scan's)
            (r"\b(?:sticking points|stumbling blocks|obstacles|pinch points)\b", "barriers"),
            (r"\b(?:sticking point|stumbling block|obstacle|pinch point)\b", "barrier"),
            # "the enablers": the success factors (the scan's word is "facilitators")
            (r"^(?!.*\bscan\b)(.*?)\benablers\b", r"\1success factors"),
            # "deloitte did that one, right?": a claim about who wrote it (not "how X did it?")
            (
                r"(?:^|(?<=[.?!] ))(?P<pre>(?:(?!\bhow\b)[^?.!])*?)\b(?:did|made) "
                r"(?P<what>that|this|it)(?P<one> one)?(?=\W*(?:right\W*)?(?:\?|$))",
                r"\g<pre>wrote \g<what>\g<one>",
            ),
            # "what should we be asking national bodies to do?": the report's recommendations
            (
                r"\bwhat (?:should|could|do|would) (?:we|i|you|they|trusts) (?:be )?(?:ask|asking|"
                r"want|wanting|tell|telling|push|pushing) national bodies (?:to do|for)\b",
                "what does the report recommend national bodies do",
            ),
            (
                r"\bwhat (?:should|ought) national bodies (?:to )?do\b",
                "what does the report recommend national bodies do",
            ),
            # "what month/year did it come out": when
            (r"\b(?:what|which) (?:month|year|date)(?:\s*/\s*(?:month|year|date))*\b", "when"),
            # "who was interviewed for the main report (not the supplement)": the document set
            # aside is not one the question is about
            (
                r"\s*[(,]\s*\b(?:not|rather than|as opposed to) (?:the|that) (?:supplement|"
                r"evidence scan|scan|main report|report)\b\)?",
                "",
            ),
            # the framing of a formal request ("Could you please confirm, for the purposes of our
            # board paper, …") and of a casual one ("what's the deal with …, or what")
            (r",?\s*\bfor the purposes? of (?:our|my|a|an|the) [\w' -]{1,30}?(?=[,.?!]|$)", ""),
            (rf"{_CONFIRM}(?: whether| if)\s*", ""),
            # (a bare "can you confirm?" after a claim stays: it asks to check the claim)
            (
                rf"{_CONFIRM},?\s*(?=\w)(?!(?:before|by|tonight|today|please|thanks|asap)\b)",
                "what is ",
            ),
            (r"\bwhat(?:'s| is) the (?:deal|story|craic) with\b", "what is"),
            (r",?\s+or what\s*(?=[?.!]|$)|\s+or\s*$", ""),
            # "who did they talk to for the report": who was interviewed
            (
                r"\bdid (they|you|the authors) (?:actually |really )?(?:talk|speak) (?:to|with)\b",
                r"did \1 interview",
            ),
            # "in one line", "a one-liner": how short, not what about
            (r"\b(?:in (?:one|a) (?:line|sentence)|(?:a )?one[- ]?liner)\b", "in summary"),
            # "what are they, in plain English?": how to say it, not what about
            (r",?\s*\bin (?:plain|simple|everyday|normal) (?:english|words|terms|language)\b", ""),
            # "is it 2 days or 5 i can never remember": what the asker forgets is not asked
            (
                r"[,;]?\s*\b(?:i|we) (?:can never|never|can't|cant|can not|always|just) "
                r"(?:remember|recall|forget)\b(?: (?:it|which|what|this|that))?[.!]?"
                r"(?=\s*$|\s*[?])",
                "",
            ),
            # who the answer is for ("explain headspace to a patient rep"), not what it is about
            (
                r"\s*\b(?:to|for) (?:a|an|my|our|the|some) (?:patient|lay|public|non-?clinical)"
                r"(?: [\w-]+)?? (?:reps?|representatives?|members?|audiences?|persons?|people|"
                r"groups?|panels?|partners?)\b",
                "",
            ),
            (r"\bcarrots?[- ]and[- ]sticks?\b", "incentives and pressure"),
            # "too much stick vs carrot", "is there a stick element to it?": pressure and support
            (r"\bsticks?\s+(?:vs\.?|versus|or|and|&|/)\s*carrots?\b", "pressure versus support"),
            (r"\bcarrots?\s+(?:vs\.?|versus|or|and|&|/)\s*sticks?\b", "support versus pressure"),
            # "too much stick and not enough carrot": pressure, and support, weighed
            (
                r"\b(too much|more|less|not enough|all|no|enough|little|lots of)\s+sticks?\b",
                r"\1 pressure",
            ),
            (
                r"\b(too much|more|less|not enough|all|no|enough|little|lots of)\s+carrots?\b",
                r"\1 support",
            ),
            (r"\b(?:a|any|the) stick (element|side|part|component)\b", r"a pressure \1"),
            # "the regulation-style prodding": the regulation
            (r"\b([a-z]+)-style\b", r"\1"),
            # "a chief exec losing their job": removed from post, as the guidance puts it
            (
                r"\b(?:losing|lose|loses|lost)\s+(?:their|his|her|your|the)\s+jobs?\b",
                "removed from post",
            ),
            # "I half-remember HF making a point …": a recollection, not a topic
            (r"\bhalf[- ]remember(ed|ing|s)?\b", r"remember\1"),
            # "the breathing room to work on change", "no headroom": the headspace barrier's idea
            # (not "breathing space", a scheme's name in some trusts' documents)
            (r"\b(?:breathing room|headroom)\b", "headspace"),
            # NHS and everyday usage: "52 week waiters", "CD TTOs", "ring the line", "calls get
            # picked up inside a minute", "saved on stamps"
            (r"\b(\d+)[- ]?(?:week|wk) waiters?\b", r"patients waiting over \1 weeks"),
            (
                r"\bCDs?\b(?=\s+(?:TTOs?|prescriptions?|cupboards?|registers?|drugs?|medicines?|"
                r"meds)\b)",
                "controlled-drug",
            ),
            (
                r"\bring(s?)(?=\s+(?:the|them|us|you|him|her|it|back|up|in|a|our|their)\b)",
                r"call\1",
            ),
            # "a meeting I can dial into": a meeting; how the asker joins it is not what is asked
            (
                r"\s+(?:that |which )?(?:i|we|you) (?:can|could|might|should) (?:dial|phone|call|"
                r"log|join) (?:in(?:to)?|on(?:to)?)\b",
                "",
            ),
            (r"\bdial(?:l?ing)?[- ]in(?:to)?\b", "join"),
            # "when do we hand them back to primary care": discharge them to their GP
            (
                r"\bhand(?:ing|ed)? (them|him|her|patients?|pts?|people) back to "
                r"(?:primary care|the gps?|their gps?|gps?)\b",
                r"discharge \1 back to their GP",
            ),
            # "scotland/wales/NI": Northern Ireland beside the other nations (alone, "NI" may
            # be National Insurance)
            (
                r"\b((?:scotland|wales)(?:\s*[/,&]\s*|\s+(?:and|or)\s+)(?:(?:scotland|wales)"
                r"(?:\s*[/,&]\s*|\s+(?:and|or)\s+))?)ni\b",
                r"\1Northern Ireland",
            ),
            (r"\brang\b", "called"),
            (r"\bringing\b", "calling"),
            (r"\bhead[ -]space\b", "headspace"),
            # a Slack emoji (":upside_down_face:") ends what was said before it
            (r"\s*:[a-z][a-z0-9_+'-]*:(?=\s|$)\s*", ". "),
            # … and one typed as itself ("medical student 👋 what are …"); after a sentence's
            # own end it only goes
            (rf"(?<=[.!?])\s*{EMOJI}", ""),
            (rf"\s*{EMOJI}\s*", ". "),
            # "who do i bell?", "give them a bell": call
            (r"\b(do|should|can|could|shall) (i|we) bell\b", r"\1 \2 call"),
            (r"\bgive (\w+) a bell\b", r"call \1"),
            (r"\babsolute (maximum|max|minimum|limit)\b", r"\1"),
            # "hear n treat", "see n treat": "n" between two words is "and"
            (r"(?<=[a-z]) n (?=[a-z])", " and "),
            # ambulance categories as crews say them: "cat 3s", "CAT2"
            (r"\bcat(?:egory)?\.? ?([1-5])(?:s\b|\b)", r"Category \1"),
            # "when is the next eolc steering group?", "when's the next AO / triage line ops
            # group": its next meeting, as minutes date it
            (
                r"\bnext ((?:[\w&/-]+ ){0,5}?(?:group|board|committee|forum|huddle|panel))\b"
                r"(?=\s*(?:[?.!,]|$)|\s(?:on|in|at|is|be|going|happening)\b)",
                r"next \1 meeting",
            ),
            # "who owns the protocol?": its owner
            (r"\bwho owns\b", "who is the owner of"),
            # "when's it due for review?": its review date
            (r"\bdue (?:for |a )review\b", "at its review date"),
            (
                r"\b(she|he|they|i|we|you|patients?|people|someone) ring(?:s|ing)?\b(?!-)",
                r"\1 call",
            ),
            # "self refs from 16 yr olds": self-referrals from people aged 16
            (r"\bself[- ]?ref(?:s|errals?)\b", "self-referrals"),
            (r"\bself[- ]?ref(?:erral)?\b", "self-referral"),
            (r"\b(\d+)[- ]?(?:yr|year)[- ]?olds?\b", r"people aged \1"),
            (r"\b(\d+) ?y/?o\b", r"aged \1"),  # "her 7yo", "a 15 y/o"
            (r"\bsigned up (?=for|to|on)\b", "enrolled "),
            (
                r"\b(calls?\b[^.?!]{0,30}?)\b(?:get |got |are |were |being )?pick(?:ed|s)? up\b",
                r"\1answered",
            ),
            (
                r"\b(?:inside|within|in under|under|in less than) (?:a|one) minute\b",
                "within 60 seconds",
            ),
            (r"\bstamps?\b", "postage"),
            # "open at weekends?", "is it weekdays only?": the days documents name
            (r"\b(?:at |on |over )?(?:the )?weekends?\b", "on Saturday and Sunday"),
            (r"\b(?:on )?weekdays?\b", "Monday to Friday"),
            # "the seven things HF says make change work": the framework's one list of seven
            (
                r"\b(?:the\s+)?(?:seven|7)\s+(?:things|elements|ingredients|conditions|keys|"
                r"pillars|components|building blocks)\b",
                "the seven success factors",
            ),
            # "what time does the line shut on sat?": a day as staff write it, and closing time
            (
                r"\b(on|by|till|until|from|this|next|last) sats?\b(?!\s+(?:down|there|on|in|with))",
                r"\1 Saturday",
            ),
            (r"\b(on|by|till|until|from|this|next|last) suns?\b", r"\1 Sunday"),
            (r"\bsat(?:urday)?\s*(?:/|&|and|n)\s*sun(?:day)?\b", "Saturday and Sunday"),
            (r"\b(what time|when)\b([^?.!]{0,60}?)\bshut\b", r"\1\2close"),
            (r"\b(what time|when)\b([^?.!]{0,60}?)\bshuts\b", r"\1\2closes"),
            # "repeat scripts": prescriptions, as staff say it
            (r"\b(repeat |paper |electronic )scripts\b", r"\1prescriptions"),
            (r"\b(repeat |paper |electronic )script\b", r"\1prescription"),
            # "end of life scripts filled at the first chemist": not a call handler's scripts
            (
                r"(?<!call )(?<!phone )(?<!telephone )(?<!triage )(?<!pathways )"
                r"\b(the |their |our |of |life |eol |palliative |controlled drug |cd )scripts\b",
                r"\1prescriptions",
            ),
            (r"\bchemists\b", "pharmacies"),
            (r"\bchemist(?:'s)?\b", "pharmacy"),
            (r"\b(?:the )?(?:boss|head honcho|person in charge) of\b", "the lead of"),
            (r"\b(?:left|kept|taken) out of\b", "excluded from"),
            (r"\b(?:are|is|were|was|get|gets|got) left out\b", "are excluded"),
            (r"\b(?:mixed|conflicting|contradictory) messages\b", "mixed signals"),
            (
                r"\btoo (?:busy|swamped|stretched|overwhelmed|snowed under|flat out) to "
                r"(?:think|breathe|look up)\b",
                "without headspace",
            ),
            # "the nagging-from-above approach": pressure on organisations from the centre
            (r"\bnagging(?:[- ]from[- ](?:above|the top))?\b", "prodding"),
            (r"\bmorale\b", "motivation"),
            (r"\bflat out\b", "under pressure"),
            # "like methods wise", "cost-wise": the noun is what is asked about
            (r"\b(?:like\s+)?(\w{3,})[- ]wise\b", r"\1"),
            # "was the mix skewed one way?": leaning too far one way
            (
                r"\b(?:(?:skewed|tilted|lopsided)(?: (?:one way|towards?))?|weighted (?:one way|"
                r"towards?))\b",
                "leaned too far",
            ),
            (r"\bpush ?back\b", "resistance"),
            (r"\b(burn-?out|burnt out|burned out)\b", "exhaustion"),
            (r"\bbandwidth\b", "capacity"),
            (r"\b(rolled|rolling) out\b", "spread"),
            (r"\broll(-| )?out\b", "spread"),
            # "what is the scan called?", "what's the name of the report?": a document's title
            (
                rf"\bwhat(?:'s| is| was) ({_DOCUMENT}) called\b",
                r"what is the title of \1",
            ),
            (rf"\b(?:full |exact |proper )?name of ({_DOCUMENT})\b", r"title of \1"),
            (
                r"\btitle of the (?:main |full |whole )?report\b",
                "title of the report Constructive comfort",
            ),
            (r"\b(strands|streams) of (work|evidence|research)\b", "workstreams"),
            # NHS usage: "the centre" is the national bodies (not "the Evidence Centre")
            (r"\bthe cent(?:re|er)\b(?! (?:of|for)\b)", "national bodies"),
            (r"\b(strand|stream) of work\b", "workstream"),
            (r"\bstages\b(?= (of|in)\b)", "phases"),
            (r"\b(three|3) stages\b", r"\1 phases"),
            (r"\bevery stage\b", "every phase"),
            # idioms: their words are not topics ("pie", "sky", "dug"), their meaning is
            (r"\b(pie in the sky|a pipe dream|pipe dreams?)\b", "not achievable"),
            (r"\bunrealistic\b", "not achievable"),
            # "no room in their brain for improvement", "maxed out day to day": no capacity
            (
                r"\b(?:room|space|bandwidth) in (?:their|my|our|your|his|her|the) "
                r"(?:brains?|heads?)\b",
                "capacity",
            ),
            (r"\b(?:maxed|stretched) out\b", "without capacity"),
            (r"\bgetting rid of\b", "removing"),
            (r"\bgets rid of\b", "removes"),
            (r"\bget rid of\b", "remove"),
            (r"\bgot rid of\b", "removed"),
            (
                r"\b(dug in|digging (their|in their) heels in|dig(ging)? their heels in)\b",
                "in resistance",
            ),
            (r"\b(straight away|right away|asap)\b", "immediately"),
            # bringing people with you, winning them over: engaging them
            *(
                (rf"\b(?:{verb}) {_GROUP} (?:along )?with (?:me|us|you)\b", rf"{meaning} \1")
                for verb, meaning in (("bring", "engage"), ("bringing", "engaging"))
            ),
            *(
                (rf"\b(?:{verb}) {_GROUP} over\b", rf"{meaning} \1")
                for verb, meaning in (("win|wins|won", "engage"), ("winning", "engaging"))
            ),
            (r"\b(staff|workforce)-?focused\b", "people-focused"),
            # "do they see under 18s?": the documents' "under 18"
            (r"\b(under|over|aged)[- ](1[0-9]|[2-9]0|[5-9]5)s\b", r"\1 \2"),
            # "I work in NHS Wales - is it just about the NHS over the border?": England
            (
                r"\b(wales|welsh|scotland|scottish|cardiff|swansea|glasgow|edinburgh)\b"
                r"([^?]{0,150}?)\b(?:the\s+)?(?:nhs\s+)?(?:over|across|south of|over in)\s+"
                r"the\s+border\b",
                r"\1\2the NHS in England",
            ),
            (r"\bin a nutshell\b", "in summary"),
            (r"\b(the gist|tl;?dr)\b", "a summary"),
        )
    ),
)


# the framework's and the documents' own words, as people misspell them ("recomendations",
# "headsapce", "capabilty", "mckinsy"): one letter out, or two neighbours swapped
_KEY_WORDS = (
    "recommendations",
    "recommendation",
    "headspace",
    "capability",
    "capabilities",
    "motivation",
    "recognition",
    "constructive",
    "mckinsey",
    "supplement",
    "proactive",
    "organisations",
    "transformational",
    "analytics",
    # the words that give a question its form ("give me an exmaple of …")
    "example",
    "examples",
    "difference",
    "different",
)
MIN_MISSPELT = 7  # shorter words are too easily one letter from another word


def _swapped(a: str, b: str) -> bool:
    """Whether ``a`` is ``b`` with two neighbouring letters swapped."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) != 2 or diff[1] != diff[0] + 1:
        return False
    i, j = diff
    return a[i] == b[j] and a[j] == b[i]


def spelled_right(word: str) -> str:
    """``word`` as the framework spells it, when it is a slip of one of its key words."""
    low = word.lower()
    if len(low) < MIN_MISSPELT or low in _KEY_WORDS:
        return word
    for key in _KEY_WORDS:
        if low.startswith(key) or key.startswith(low):
            return word  # "motivations", "supplements": another form, not a slip
    for key in _KEY_WORDS:
        if one_edit(low, key) or _swapped(low, key):
            return key
    return word


# acronyms kept in capitals when a message written in capitals is put in lower case
_ACRONYMS = frozenset({"NHS", "HF", "CC", "QI", "ICB", "ICS", "GP", "GPS", "PCN", "CQC", "CEO"})
SHOUTED = 0.8  # share of a message's letters in capitals above which it is read as shouted


def _unshouted(text: str) -> str:
    """A message typed in capitals, in lower case but for its acronyms ("WHICH TYPE DID THE HF …").

    In capitals every word looks like an acronym, and acronyms the notes never use are topics.
    """
    letters = [ch for ch in text if ch.isalpha()]
    if len(text.split()) < 4 or sum(ch.isupper() for ch in letters) < SHOUTED * len(letters):
        return text
    return re.sub(
        r"[A-Za-z]+",
        lambda m: m.group(0) if m.group(0).upper() in _ACRONYMS else m.group(0).lower(),
        text,
    )


def spell_out(text: str) -> str:
    """``text`` with known shorthand spelt out and chat filler removed; otherwise unchanged."""

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if low in _FILLER and not (
            low in _SIGN_OFFS and _SAID_AFTER.search(match.string, match.end())
        ):
            return ""
        if low in _SPELLED_OUT:
            return _SPELLED_OUT[low]
        if low.endswith("'s") and low[:-2] in _SPELLED_OUT:
            return f"{_SPELLED_OUT[low[:-2]]}'s"  # "the HF's view", "our org's plan"
        return spelled_right(word)

    out = _unshouted(text)
    for pattern, words in _PHRASES:
        out = pattern.sub(words, out)
    # "doing my MSc assignment on …, who wrote it?": what the asker is making is not searched
    out = without_leading_purpose(out)
    out = _WORD.sub(replace, out)
    return re.sub(r"[ \t]{2,}", " ", out).strip(" \t,") if out != text else text


def screen_spelled(text: str) -> PrivacyResult:
    """The patient-data screen of ``text`` as written and as spelt out.

    Dropping filler can join an identifier's parts ("943 lol 476 5919"): what the retriever,
    the embedder or a model would see is screened, not only what was typed.
    """
    written = screen(text)
    return written if written.sensitive else screen(spell_out(text))
