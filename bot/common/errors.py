"""The small error tree; each error carries a plain-English ``user_message``.

::

    ChangebotError
    ├── KnowledgeError          bundled knowledge or index unreadable / inconsistent
    ├── IngestionError          an ingest run could not complete
    │   ├── UnreadableDocument  one document could not be parsed (named, with a reason)
    │   └── IngestLocked        another ingest holds the single-writer lock
    ├── LLMUnavailable          the configured model failed, timed out or returned junk
    ├── NotAuthorised           a non-admin asked for an admin action
    └── PatientDataDetected     the text contains patient-identifiable data

Errors are translated into words only at the edges (CLI, Slack); raw ``str(exc)`` of library
errors never reaches a user.
"""

from __future__ import annotations


class ChangebotError(Exception):
    """Base class: ``user_message`` is safe to show to any user."""

    default_message = "Something went wrong inside changebot. Nothing was changed."

    def __init__(self, user_message: str | None = None) -> None:
        self.user_message = user_message or self.default_message
        super().__init__(self.user_message)


class KnowledgeError(ChangebotError):
    """The knowledge files or the index could not be loaded."""

    default_message = "changebot's guidance index could not be read. An admin should re-ingest."


class IngestionError(ChangebotError):
    """An ingest run failed as a whole; the previous index keeps serving."""

    default_message = "The ingest did not complete. The previous guidance index is still serving."


class UnreadableDocument(IngestionError):
    """One document could not be read; the reason is plain English."""

    def __init__(self, document: str, reason: str) -> None:
        self.document = document
        self.reason = reason
        super().__init__(f"{document}: {reason}")


class IngestLocked(IngestionError):
    """Another ingest is running."""

    default_message = (
        "Another ingest is already running. Wait for it to finish, then try again; "
        "the current guidance keeps serving meanwhile."
    )


class LLMUnavailable(ChangebotError):
    """The language model could not produce a valid result."""

    default_message = "The language model did not respond in time, so changebot answered offline."


class NotAuthorised(ChangebotError):
    """A user without admin rights asked for an admin action."""

    default_message = "Only changebot admins can do that. Ask your changebot admin if you need it."


class PatientDataDetected(ChangebotError):
    """Patient-identifiable data was found; nothing was stored, logged or sent."""

    default_message = (
        "Your message looks like it contains patient-identifiable information, so changebot did "
        "not process, store or send it anywhere. Please describe the situation again without "
        "names, NHS numbers, dates of birth, hospital numbers or addresses."
    )
