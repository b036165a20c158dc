"""The report's own words beside our label, when someone asks for a factor's exact wording.

Four success-factor labels are in changebot's words ("A culture that welcomes and backs change").
"whats the exact wording of the culture factor? it's going in a board paper" is not answered by
our paraphrase alone: the report's key words are added after the label, quoted and attributed
("… (in the report's words, 'hospitable to, and supportive of, change')"), wherever the answer
names it: a list, a definition, a sentence of the notes.
"""

from __future__ import annotations

import re

from bot.core.models import Answer
from knowledge.framework import Framework
from knowledge.report_words import ReportWords

# the wording asked for, not the idea: "exact wording pls", "what's it actually called in the
# report", "word for word", "want to quote it properly"
EXACT_WORDING = re.compile(
    r"\b(?:exact|precise|actual|proper|official|full|correct|right)\s+(?:wording|words|name|"
    r"title|label|phrasing|phrase)\b"
    r"|\bwording\b|\bword[\s-]for[\s-]word\b|\bverbatim\b|\bquot(?:e|ing)\b"
    r"|\b(?:actually|properly|officially|exactly)\s+(?:called|worded|named|phrased)\b"
    r"|\bwhat(?:'s| is| are)?\s+(?:it|they)\s+(?:actually|properly|exactly)\s+called\b",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)


def with_report_words(
    query: str, answer: Answer, framework: Framework, words: ReportWords
) -> Answer:
    """``answer`` with the report's key words after each of our paraphrased labels it names."""
    if not answer.grounded or not EXACT_WORDING.search(query):
        return answer
    text = answer.answer
    labels = {f.id: f.label for f in framework.factors}
    for ident, quoted in words.factors.items():
        if quoted.lower() in text.lower():
            continue
        label = re.compile(re.escape(_ARTICLE.sub("", labels[ident])), re.IGNORECASE)
        found = label.search(text)
        if found is not None:
            said = f"{found.group(0)} (in the report's words, '{quoted}')"
            text = text[: found.start()] + said + text[found.end() :]
    if text == answer.answer:
        return answer
    return answer.model_copy(update={"answer": text})
