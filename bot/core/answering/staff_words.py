"""Staff's everyday words for what a trust's documents write out formally.

"can pts just rock up for bloods on a saturday?" asks about the "venepuncture" walk-in sessions of
a phlebotomy procedure; "the mri dna rate" is its "magnetic resonance did not attend" rate; "SOS
appts" are "patient-initiated follow-up". The staff word is an unknown term to the index, so the
question looked uncovered and was declined. Unlike the shorthand table (``shorthand.py``), which
always spells a word out, a word here is replaced only when the index never uses it, and only by
the first of its alternatives that the index does use: a trust whose documents say "MRI" keeps
"MRI". The list is ours and limited to words whose meaning is not in doubt in an NHS workspace.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.wording import terms

# (staff's word, the documents' words to try in order); patterns are case-insensitive
_ALTERNATIVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # imaging, tests and clinics
    (r"mri", ("MR", "magnetic resonance")),
    (r"ct", ("computed tomography", "CT scan")),
    (r"uss", ("ultrasound",)),
    (r"echos?", ("echocardiogram", "echocardiography")),
    # "which days the satellite does scopes", "a trainee nurse scopist"
    (r"scopes|scoping", ("endoscopy", "endoscopies")),
    (r"scopists?", ("endoscopist", "endoscopists")),
    (r"bloods", ("blood tests", "venepuncture", "phlebotomy", "blood samples")),
    (r"phlebs?|phlebotomists?", ("phlebotomy", "venepuncture", "blood tests")),
    (r"o?gtts?", ("glucose tolerance test",)),
    (r"obs", ("observations",)),
    (r"sats", ("oxygen saturation", "saturation", "SpO2")),
    (r"haemo|hd", ("haemodialysis", "dialysis")),
    (r"news", ("NEWS2", "early warning score")),
    (r"cat(?= ?[1-5]\b)", ("category",)),
    (r"avg|average", ("mean", "average")),
    # attendance and follow-up
    (
        r"dna(?:s|'?d|'?ing)?|did ?n[o']t attends?",
        ("did not attend", "non-attendance", "missed appointments", "was not brought"),
    ),
    (r"wnbs?", ("was not brought", "did not attend", "non-attendance")),
    (r"pifu|sos (?=appts?|appointments?|follow|f/?u|pathway|list)", ("patient-initiated",)),
    (r"sos", ("patient-initiated",)),
    (r"f/?u", ("follow-up",)),
    (r"tci", ("to come in", "admission date")),
    (r"ptl", ("patient tracking list", "waiting list")),
    (r"wl", ("waiting list",)),
    (r"rtt", ("referral to treatment",)),
    (r"ooh", ("out of hours",)),
    # surgery
    (r"pre[- ]?ops?|poa", ("pre-operative", "preoperative", "pre-assessment")),
    (r"post-?op", ("post-operative", "postoperative")),
    # "her op" in lower case is her operation ("OP" in capitals may be outpatients)
    (r"(?-i:ops?)", ("operation", "surgery", "procedure")),
    (r"otd", ("on the day",)),
    (r"nbm|nil by mouth", ("fasting", "fast")),
    (r"lap choles?", ("laparoscopic cholecystectomy", "gallbladder")),
    (r"tkrs?", ("knee replacement",)),
    (r"thrs?", ("hip replacement",)),
    (r"bunions?", ("hallux valgus", "forefoot", "foot and ankle")),
    (r"ortho", ("orthopaedic", "orthopaedics")),
    (r"gen surg", ("general surgery",)),
    (r"anaes|gas(?:man|men|woman|women|sers?)", ("anaesthetist", "anaesthetic")),
    # specialties people shorten
    (r"cardio", ("cardiology",)),
    (r"derm|derms", ("dermatology",)),
    (r"gynae", ("gynaecology",)),
    (r"resp", ("respiratory",)),
    (r"neuro", ("neurology",)),
    (r"haem", ("haematology",)),
    (r"rheum|rheumy", ("rheumatology",)),
    (r"uro", ("urology",)),
    (r"gastro", ("gastroenterology",)),
    (r"ophth|ophthal", ("ophthalmology",)),
    (r"slt", ("speech and language therapy",)),
    (r"e-?consults?", ("online consultation", "eConsult", "online consultations")),
    # people and places
    (r"fy[12]s?|f[12]s?|sho", ("foundation doctor", "junior doctor", "resident doctor", "doctor")),
    (r"reg", ("registrar",)),
    (r"hcas?", ("healthcare assistant", "health care assistant")),
    (r"reps?", ("representative", "steward", "staff side")),
    (r"overseas", ("international", "internationally educated")),
    (r"techs", ("technicians", "technician")),
    (r"tech", ("technician", "technicians")),
    (r"a ?& ?e|a and e", ("emergency department", "ED")),
    (r"mat leave", ("maternity leave",)),
    (r"paediatrics?|paeds|peds", ("children's", "children", "child")),
    (r"mums", ("mothers", "women")),
    (r"mum", ("mother", "woman")),
    (r"builders?", ("contractor", "contractors")),
    # "people driving in to work" (not "the only one driving the pifu stuff": leading it)
    (
        r"driv(?:e|es|ing|en) in\b|driv(?:e|es|ing|en)(?=\s+(?:to|into)\s+(?:work|the site|site))",
        ("car", "commuting"),
    ),
    (r"cycle ?2 ?work", ("cycle to work",)),
    # results and paperwork
    (r"un-?acked|un-?ack'd", ("unacknowledged", "not acknowledged")),
    (r"ack(?:ed|'d)", ("acknowledged",)),
    (r"acking|ack'ing", ("acknowledging",)),
    (r"acks?", ("acknowledgement", "acknowledge")),
    # how people say they turn up or were moved
    (
        r"rock(?:ed|ing)? up|pop(?:ped|ping)? in|drop(?:ped|ping)? in",
        ("walk in", "walk-in", "turn up", "arrive"),
    ),
    (r"bumped", ("cancelled", "postponed")),
    # "blue-lighted into hospital": taken in as an emergency
    (
        r"blue[- ]?light(?:ed|ing|s)?",
        ("unplanned hospital admission", "emergency admission", "conveyed", "conveyance"),
    ),
    # "3 crews sat outside majors", "referral sat there untriaged": waiting
    (r"sat(?= (?:outside|there|in|on|waiting|around|untriaged|unseen))", ("waiting", "wait")),
    (r"procedures?", ("SOP", "standard operating procedure")),
    (r"(?-i:OT)", ("overtime", "occupational therapy")),
    (r"bounced back|bounce back|sent back", ("discharged", "discharge")),
    # how much notice, whether a result is still good
    (r"notice", ("advance", "in advance")),
    (r"swabs?", ("screen", "screening")),
    (r"redo|re-do|redone", ("repeat", "repeated")),
    (r"(?:still )?ok to use|still ok|still good", ("valid",)),
    (r"kick(?:ed|s|ing)? (?:off|in)", ("started", "start", "starts")),
    (r"breach(?:es)?", ("waiting", "wait")),
    # "what are the sibling visiting times?", "how often do the motors get a deep clean?",
    # "who's the builder on the ward 14 job?": the words a leaflet, a fleet SOP, an estates plan use
    (r"siblings?", ("brothers and sisters", "brothers or sisters", "brother or sister")),
    (r"motors", ("vehicles", "ambulances")),
    (r"builders?", ("contractor", "contractors")),
    # "whats the reason for the dip": a figure that fell
    (r"dip(?:s|ped)?", ("fall", "drop", "fell", "dropped", "decrease", "decline")),
    # how much, how many and who pays
    (r"extra", ("additional",)),
    # "are we doing a golden hello for new nurses?": the trust's "recruitment incentive"
    (
        r"golden hellos?|(?:joining|sign(?:ing)?[- ]on|welcome) bonus(?:es)?",
        ("recruitment incentive", "recruitment premium", "welcome payment", "joining incentive"),
    ),
    # "where is occ health based?"
    (r"occ(?:y|-)? ?health|occ ?h", ("occupational health",)),
    # "before a trainee can do colonoscopies solo": independently
    (r"solo", ("independent", "independently", "unsupervised")),
    (r"flexi", ("flexible",)),
    (r"turn(?:ed|s)? down", ("declined", "refused", "rejected")),
    (r"chip(?:s|ped|ping)? in", ("contribute", "contribution", "fund", "funding")),
    (r"cut[- ]?offs?", ("threshold", "limit")),
    # how to reach someone
    (r"phone", ("telephone",)),
    # "OPD attendances", "the OPD letters work": outpatients
    (r"opd", ("outpatient", "outpatients")),
    # "the gp surgery rotation": a GP practice, not an operation
    (r"gp surger(?:y|ies)", ("GP practice", "general practice", "primary care")),
    (r"extension|extn", ("ext", "extension")),
    (r"ext", ("extension",)),
)
# a word may carry a possessive: "A&E's friends and family score"
_END = r"(?![\w-])(?!'(?!s\b))"
_PATTERNS = tuple(
    (re.compile(rf"(?<![\w'-]){word}{_END}", re.IGNORECASE), alternatives)
    for word, alternatives in _ALTERNATIVES
)


def in_index_words(
    query: str, knows: Callable[[str], bool], documents_know: Callable[[str], bool] | None = None
) -> str:
    """``query`` with each staff word the index never uses put in words the documents use.

    ``knows`` is the whole index's vocabulary; ``documents_know`` (default: the same) that of the
    trust's own documents, the only ones written in formal service words: the bundled notes on
    the report are not, so a question about the report is never reworded in their words.
    """
    formal = documents_know or knows
    query = _hyphenated(query, knows, formal)
    for pattern, alternatives in _PATTERNS:
        for found in list(pattern.finditer(query)):
            word = found.group(0)
            own = terms(word)
            if own and all(knows(t) for t in own):
                continue  # the trust's documents use the staff's own word
            for alternative in alternatives:
                wanted = terms(alternative)
                if wanted and all(formal(t) for t in wanted):
                    query = re.sub(
                        rf"(?<![\w'-]){re.escape(word)}{_END}", alternative, query, count=1
                    )
                    break
    return query


_RUN = re.compile(r"[A-Za-z0-9]+")


def _hyphenated(query: str, knows: Callable[[str], bool], formal: Callable[[str], bool]) -> str:
    """Words typed apart that the documents write joined: "door to needle" for "door-to-needle".

    Only where a word of the run is one the index never uses, so "same day" stays apart when
    the documents also write it so; the longest run the documents use is joined first.
    """
    words = list(_RUN.finditer(query))
    for size in (4, 3, 2):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if any(query[a.end() : b.start()] != " " for a, b in zip(run, run[1:], strict=False)):
                continue
            joined = "-".join(w.group(0) for w in run)
            parts = [t for w in run for t in terms(w.group(0))]
            if len(terms(joined)) != 1 or not formal(terms(joined)[0]):
                continue
            if all(knows(t) for t in parts):
                continue
            spaced = " ".join(w.group(0) for w in run)
            return _hyphenated(
                re.sub(rf"(?<![\w'-]){re.escape(spaced)}(?![\w'-])", joined, query, count=1),
                knows,
                formal,
            )
    return query
