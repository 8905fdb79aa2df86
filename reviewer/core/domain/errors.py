"""Errors a journalist can read. Every message is one line, with no traceback behind it."""


class ReviewerError(Exception):
    """Base of every error reviewer reports to a person."""


class UsageError(ReviewerError):
    """The request itself is wrong: an unknown document, a bad value, a missing case."""


class CaseError(ReviewerError):
    """The case on disk cannot be used as asked (missing, from a newer version, damaged)."""


class IntegrityError(ReviewerError):
    """Evidence no longer matches what was recorded (an altered or missing original)."""


class ConflictError(ReviewerError):
    """Someone else changed what the person was editing since they saw it: their edit was not saved.

    Carries what was being edited (``what``), the value now recorded (``current``), and who recorded
    it and when (``actor``, ``at``; None when the log does not say), so the window can show it and
    offer to apply the edit anyway or to take the other value.
    """

    def __init__(
        self, what: str, current: object, actor: str | None, at: str | None, *, shown: str | None = None
    ) -> None:
        self.what = what
        self.current = current
        self.actor = actor
        self.at = at
        if shown is None:
            shown = "(empty)" if current in (None, "") else repr(current)
        self.shown = shown
        who = f" by {actor}" if actor else ""
        when = f" at {at}" if at else ""
        super().__init__(
            f"{what} was changed{who}{when} to {shown} while you were editing it; your edit was not saved"
        )
