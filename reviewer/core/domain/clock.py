"""Timestamps as reviewer stores them: UTC, ISO 8601, microseconds, a trailing Z."""

from __future__ import annotations

import datetime


def utc_now() -> str:
    """The current time, as stored on the custody log."""
    return to_iso(datetime.datetime.now(datetime.UTC))


def to_iso(moment: datetime.datetime) -> str:
    """A timezone-aware moment as ``2026-11-28T01:21:51.123456Z``."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_timestamp(seconds: float) -> str:
    """A POSIX file time as stored in a sighting."""
    return to_iso(datetime.datetime.fromtimestamp(seconds, datetime.UTC))
