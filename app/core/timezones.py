"""Time zones by their IANA names (zoneinfo, with the tzdata package's database): the list to
choose from, a check, and the usual zone of a country (the first zone.tab gives for it)."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time
from functools import cache
from importlib import resources

DEFAULT_ZONE = "UTC"


@cache
def zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


@cache
def _zones_by_country() -> dict[str, list[str]]:
    """zone.tab: country code, coordinates, zone name (the country's main zone first)."""
    out: dict[str, list[str]] = {}
    try:
        text = (resources.files("tzdata") / "zoneinfo" / "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - no tzdata package
        return out
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            out.setdefault(parts[0].upper(), []).append(parts[2])
    return out


def default_time_zone(country: str | None) -> str:
    """The country's main time zone (Thailand: Asia/Bangkok; Indonesia: Asia/Jakarta), else
    UTC."""
    zones = _zones_by_country().get((country or "").upper())
    return zones[0] if zones else DEFAULT_ZONE


def clean_time_zone(name: str | None) -> str:
    """The IANA name as written in the database (any case accepted), or ValueError."""
    wanted = (name or "").strip()
    by_lower = {z.lower(): z for z in zone_names()}
    found = by_lower.get(wanted.lower())
    if found is None:
        raise ValueError(f"“{wanted}” is not a time zone name: choose one of the list, such as "
                         "Asia/Bangkok or Asia/Jakarta.")
    return found


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or DEFAULT_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(DEFAULT_ZONE)


def local_datetime(day: date, at: time, zone_name: str | None) -> datetime:
    """The moment `day` at `at` on the clocks of the zone (aware)."""
    return datetime.combine(day, at, tzinfo=zone(zone_name))

