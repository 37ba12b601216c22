"""Write dbt_project/seeds/public_holidays.csv from scripts/public_holiday_rules.yml.

Why: request deadlines move to the next working day when they end on a weekend or a public
holiday (Regulation 1182/71, Art. 3(4)), so dbt needs the holidays as data. Easter-dependent
holidays cannot be typed in by hand without mistakes; this script computes them (Gregorian
Easter, anonymous algorithm of Meeus/Jones/Butcher) from rules that live in YAML, and a test
checks that the committed seed equals its output. Run it after changing the rules or the years:

    .venv/bin/python scripts/generate_public_holidays.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
RULES_PATH = ROOT / "scripts" / "public_holiday_rules.yml"
SEED_PATH = ROOT / "dbt_project" / "seeds" / "public_holidays.csv"
COLUMNS = ("holiday_date", "region", "name_de", "name_en")


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (Meeus/Jones/Butcher algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _applies(rule: dict, year: int) -> bool:
    if "years" in rule:
        return year in rule["years"]
    return rule.get("from_year", year) <= year <= rule.get("to_year", year)


def holiday_date(rule: dict, year: int) -> dt.date:
    """The date of one holiday rule in one year."""
    kind = rule["rule"]
    if kind == "fixed":
        return dt.date(year, rule["month"], rule["day"])
    if kind == "easter":
        return easter_sunday(year) + dt.timedelta(days=rule["offset"])
    if kind == "wednesday_before_23_november":
        # Buß- und Bettag: the Wednesday before 23 November (between 16 and 22 November)
        nov_22 = dt.date(year, 11, 22)
        return nov_22 - dt.timedelta(days=(nov_22.weekday() - 2) % 7)
    raise ValueError(f"unknown holiday rule kind: {kind}")


def holiday_rows(rules_path: Path = RULES_PATH) -> list[dict[str, str]]:
    """One row per (date, region, holiday), sorted, for the years the rules file names."""
    config = yaml.safe_load(rules_path.read_text(encoding="utf-8"))
    first, last = config["years"]["first"], config["years"]["last"]
    rows = []
    for year in range(first, last + 1):
        for rule in config["holidays"]:
            if not _applies(rule, year):
                continue
            day = holiday_date(rule, year)
            for region in rule["regions"]:
                rows.append(
                    {
                        "holiday_date": day.isoformat(),
                        "region": region,
                        "name_de": rule["name_de"],
                        "name_en": rule["name_en"],
                    }
                )
    rows.sort(key=lambda row: (row["holiday_date"], row["region"]))
    return rows


def render_seed(rows: list[dict[str, str]]) -> str:
    """The seed CSV text (LF line ends, header first)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> None:
    SEED_PATH.write_text(render_seed(holiday_rows()), encoding="utf-8")
    print(f"wrote {SEED_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
