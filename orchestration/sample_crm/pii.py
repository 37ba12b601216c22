"""Invented personal data in the shapes a scanner must recognise.

Why hand-made rather than Faker per value: the shapes matter for the evaluation (German and UK
phone formats, IBANs with valid checksums, spaced and unspaced), and drawing from the precomputed
pools is fast. All values are invented: phone numbers of UK customers come from Ofcom's ranges
reserved for drama, e-mail domains are the reserved ``example.*`` domains (RFC 2606).
"""

from __future__ import annotations

import random

from orchestration.sample_crm.clock import Clock
from orchestration.sample_crm.pools import LocalePools, ascii_fold

MONTHS = {
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

_DOMAINS = (
    "example.com", "example.org", "example.net", "mail.example.com", "post.example.net",
    "web.example.org",
)  # fmt: skip
_ROLE_MAILBOXES = {
    "de": ("info", "einkauf", "vertrieb", "service", "buchhaltung", "kontakt"),
    "en": ("info", "sales", "orders", "accounts", "hello", "office"),
}
_DE_MOBILE = (
    "151", "152", "157", "159", "160", "162", "163", "170", "171", "172", "173", "174", "175",
    "176", "177", "178", "179",
)  # fmt: skip
_DE_AREA = (
    "30", "40", "89", "221", "69", "711", "211", "351", "341", "511", "911", "421", "228",
    "6221", "7531", "3375", "4321", "8031", "2151", "351",
)  # fmt: skip
#: Ofcom numbers reserved for TV and radio drama: area code and the fixed part of the number.
_UK_DRAMA_GEO = (
    ("20", "7946 0"), ("113", "496 0"), ("114", "496 0"), ("115", "496 0"), ("117", "496 0"),
    ("121", "496 0"), ("131", "496 0"), ("141", "496 0"), ("151", "496 0"), ("161", "496 0"),
)  # fmt: skip
_GB_BANKS = ("NWBK", "BARC", "LOYD", "HBUK", "MIDL", "NAIA", "BUKB")


def iban_from_bban(country: str, bban: str) -> str:
    """Complete an IBAN with its ISO 13616 check digits (mod 97)."""
    numeric = "".join(str(int(ch, 36)) for ch in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def iban_is_valid(iban: str) -> bool:
    """True when the (possibly spaced) IBAN's check digits are right."""
    compact = iban.replace(" ", "")
    numeric = "".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])
    return int(numeric) % 97 == 1


class PiiMaker:
    """Draws invented names and contact data for one language."""

    def __init__(self, rng: random.Random, pools: LocalePools, clock: Clock) -> None:
        self.rng = rng
        self.pools = pools
        self.clock = clock
        self.lang = pools.lang
        self._r = rng.random

    def pick(self, seq):  # type: ignore[no-untyped-def]
        """A uniformly chosen element; faster than ``Random.choice``."""
        return seq[int(self._r() * len(seq))]

    def digits(self, n: int) -> str:
        return str(self.rng.randrange(10**n)).zfill(n)

    # -- names -------------------------------------------------------------------------------
    def first(self, gender: str | None = None) -> str:
        if gender is None:
            gender = "f" if self._r() < 0.5 else "m"
        return self.pick(self.pools.first_female if gender == "f" else self.pools.first_male)

    def last(self) -> str:
        return self.pick(self.pools.last)

    # -- e-mail ------------------------------------------------------------------------------
    def email_for(self, first: str, last: str | None) -> str:
        f = ascii_fold(first)
        if not last:
            return f"{f}{self.rng.randrange(1, 99)}@{self.pick(_DOMAINS)}"
        l_ = ascii_fold(last)
        r = self._r()
        if r < 0.40:
            local = f"{f}.{l_}"
        elif r < 0.55:
            local = f"{f[0]}.{l_}"
        elif r < 0.70:
            local = f"{f}{l_}"
        elif r < 0.85:
            local = f"{f}.{l_}{self.rng.randrange(1, 99)}"
        else:
            local = f"{l_}.{f}"
        return f"{local}@{self.pick(_DOMAINS)}"

    def email(self) -> str:
        return self.email_for(self.first(), self.last())

    def role_email(self) -> str:
        company = ascii_fold(self.pick(self.pools.companies).split()[0].rstrip(","))
        return f"{self.pick(_ROLE_MAILBOXES[self.lang])}@{company}.example.com"

    # -- phone -------------------------------------------------------------------------------
    def phone_de(self) -> str:
        r = self._r()
        if r < 0.55:
            pre, sub = self.pick(_DE_MOBILE), self.digits(7 + (self._r() < 0.4))
            f = self._r()
            if f < 0.35:
                return f"0{pre} {sub}"
            if f < 0.5:
                return f"0{pre}/{sub}"
            if f < 0.75:
                return f"+49 {pre} {sub}"
            if f < 0.85:
                return f"+49 (0){pre} {sub}"
            return f"0{pre} {sub[:3]} {sub[3:5]} {sub[5:]}"
        area = self.pick(_DE_AREA)
        sub = self.digits(max(5, 10 - len(area)))
        f = self._r()
        if f < 0.4:
            return f"0{area} {sub}"
        if f < 0.55:
            return f"0{area}/{sub}"
        if f < 0.8:
            return f"+49 {area} {sub}"
        return f"0{area} {sub[:-1]}-{self.rng.randrange(0, 99)}"

    def phone_uk(self) -> str:
        if self._r() < 0.5:
            sub = f"900{self.digits(3)}"
            f = self._r()
            if f < 0.45:
                return f"07700 {sub}"
            if f < 0.75:
                return f"+44 7700 {sub}"
            if f < 0.88:
                return f"+44 (0)7700 {sub}"
            return f"07700{sub}"
        area, fixed = self.pick(_UK_DRAMA_GEO)
        tail = self.digits(3)
        if self._r() < 0.7:
            return f"0{area} {fixed}{tail}"
        return f"+44 {area} {fixed}{tail}"

    def phone(self) -> str:
        """A phone number in the customary format of the language's country."""
        return self.phone_de() if self.lang == "de" else self.phone_uk()

    def phone_e164(self) -> str:
        """Phone as the CRM stores it in its contact columns."""
        if self.lang == "de":
            return f"+49{self.pick(_DE_MOBILE)}{self.digits(7)}"
        return f"+447700900{self.digits(3)}"

    # -- IBAN --------------------------------------------------------------------------------
    def _spaced(self, iban: str) -> str:
        if self._r() < 0.6:
            return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
        return iban

    def iban_de(self) -> str:
        bban = f"{self.rng.randrange(1, 9)}{self.digits(7)}{self.digits(10)}"
        return self._spaced(iban_from_bban("DE", bban))

    def iban_gb(self) -> str:
        bban = f"{self.pick(_GB_BANKS)}{self.digits(6)}{self.digits(8)}"
        return self._spaced(iban_from_bban("GB", bban))

    def iban(self) -> str:
        return self.iban_de() if self.lang == "de" else self.iban_gb()

    # -- addresses ---------------------------------------------------------------------------
    def house_number(self) -> str:
        n = str(int(self._r() ** 2 * 120) + 1)
        return n + "abc"[self.rng.randrange(3)] if self._r() < 0.08 else n

    def street_line(self) -> str:
        """Street and house number in the country's order."""
        street, hn = self.pick(self.pools.streets), self.house_number()
        return f"{street} {hn}" if self.lang == "de" else f"{hn} {street}"

    def postcode(self) -> str:
        return self.pick(self.pools.postcodes)

    def city(self) -> str:
        return self.pick(self.pools.cities)

    def address(self) -> str:
        """A street address as written in running text, with or without postcode and city."""
        line = self.street_line()
        r = self._r()
        if self.lang == "de":
            return f"{line}, {self.postcode()} {self.city()}" if r < 0.7 else line
        if r < 0.5:
            return f"{line}, {self.city()} {self.postcode()}"
        if r < 0.65:
            return f"Flat {self.rng.randrange(1, 30)}, {line}, {self.city()} {self.postcode()}"
        return line

    # -- dates -------------------------------------------------------------------------------
    def birth_day(self, min_age: int, max_age: int, at_day: int | None = None) -> int:
        """Day ordinal of a birth date so that the person is ``min_age..max_age`` at ``at_day``."""
        at = self.clock.end_day if at_day is None else at_day
        return at - min_age * 365 - self.rng.randrange((max_age - min_age + 1) * 365)

    def fmt_dob(self, day: int) -> str:
        """A birth date as people write it in the language."""
        y, m, d = self.clock.ymd(day)
        r = self._r()
        if self.lang == "de":
            return f"{d:02d}.{m:02d}.{y}" if r < 0.6 else f"{d}. {MONTHS['de'][m - 1]} {y}"
        return f"{d:02d}/{m:02d}/{y}" if r < 0.5 else f"{d} {MONTHS['en'][m - 1]} {y}"

    def fmt_day_month(self, day: int) -> str:
        """Day and month only (``12. März``, ``12 March``)."""
        _, m, d = self.clock.ymd(day)
        if self.lang == "de":
            return f"{d}. {MONTHS['de'][m - 1]}"
        return f"{d} {MONTHS['en'][m - 1]}"

    def amount(self) -> str:
        euros, cents = self.rng.randrange(3, 250), self.rng.randrange(0, 100, 5)
        return f"{euros},{cents:02d}" if self.lang == "de" else f"{euros}.{cents:02d}"
