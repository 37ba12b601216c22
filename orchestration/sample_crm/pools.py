"""Pools of Faker-made names, streets and cities, built once per export.

Why pools: calling Faker per row costs tens of microseconds, which at a million notes is minutes;
drawing from a few thousand precomputed values costs well under one. Faker is seeded from the
export seed, so the pools (and therefore the whole export) are the same for the same arguments
with the pinned Faker version.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from faker import Faker

#: Faker locale per text language of the export (German customers in DE, English ones in GB).
LOCALES = {"de": "de_DE", "en": "en_GB"}
COUNTRIES = {"de": "DE", "en": "GB"}
#: Pool size per kind of value: large enough that repeats are rare within a customer, small
#: enough to build in well under a second.
POOL_SIZE = 1500

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


@lru_cache(maxsize=16_384)
def ascii_fold(text: str) -> str:
    """Lower-case ASCII form of a name for e-mail local parts (``Jürgen`` -> ``juergen``)."""
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    return "".join(ch if ch.isalnum() else "-" for ch in ascii_only).strip("-") or "x"


@dataclass(frozen=True)
class LocalePools:
    """Precomputed values for one language/locale."""

    lang: str
    country: str
    first_male: tuple[str, ...]
    first_female: tuple[str, ...]
    last: tuple[str, ...]
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]
    cities: tuple[str, ...]
    companies: tuple[str, ...]


def _draw(fn, n: int) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return tuple(fn() for _ in range(n))


def build_pools(seed: int, size: int = POOL_SIZE) -> dict[str, LocalePools]:
    """Build the pools of every export language, seeded from the export seed."""
    pools: dict[str, LocalePools] = {}
    for offset, (lang, locale) in enumerate(LOCALES.items()):
        fake = Faker(locale)
        fake.seed_instance(seed * 7919 + offset)
        pools[lang] = LocalePools(
            lang=lang,
            country=COUNTRIES[lang],
            first_male=_draw(fake.first_name_male, size),
            first_female=_draw(fake.first_name_female, size),
            last=_draw(fake.last_name, size),
            streets=_draw(fake.street_name, size),
            postcodes=_draw(fake.postcode, size),
            cities=_draw(fake.city, size),
            companies=_draw(fake.company, size // 3),
        )
    return pools
