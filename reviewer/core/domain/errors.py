"""Errors a journalist can read. Every message is one line, with no traceback behind it."""


class ReviewerError(Exception):
    """Base of every error reviewer reports to a person."""


class UsageError(ReviewerError):
    """The request itself is wrong: an unknown document, a bad value, a missing case."""


class CaseError(ReviewerError):
    """The case on disk cannot be used as asked (missing, from a newer version, damaged)."""


class IntegrityError(ReviewerError):
    """Evidence no longer matches what was recorded (an altered or missing original)."""
