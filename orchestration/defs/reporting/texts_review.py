"""Report wording for the guard's review list and for sections a first run has not computed yet.

Kept apart from ``texts.py`` so the review block can change without touching the rest of the
report's wording; ``texts.py`` merges these keys into its per-language dictionaries.
"""

from __future__ import annotations

DE: dict[str, str] = {
    "sec_review": "Zur Prüfung zurückgehaltene Freitexte",
    "v_review": "{held} Freitextwerte zur Prüfung zurückgehalten (Verdacht der unabhängigen "
    "Prüfung auf besondere Kategorien).",
    "review_intro": "Nach der Schwärzung durch den Scanner prüft eine zweite, unabhängige "
    "Wortstamm-Liste jeden Freitext (Version {guard}). Findet sie noch ein Wort einer besonderen "
    "Kategorie, wird der ganze Wert nicht gespeichert, sondern durch „{marker}“ ersetzt und hier "
    "aufgeführt: {held} Werte. Sie bleiben zurückgehalten, bis eine neue Scanner-Version sie "
    "erneut prüft oder Sie einen Wert nach Sichtung im CRM freigeben (Eintrag mit Tabelle, "
    "Spalte, Kennung und Text-HMAC in der Freigabedatei). Die blockierende Prüfung durchsucht "
    "danach jeden gespeicherten Wert mit derselben Liste.",
    "review_none": "Kein Freitextwert ist zurückgehalten.",
    "h_category": "Kategorie (Verdacht)",
    "h_held": "Zurückgehalten",
    "h_record_ids": "Erste Kennungen",
    "h_held_at": "Seit",
    "src_review": "Zur Prüfung zurückgehaltene Freitextwerte (Tabelle, Spalte, Kennung, "
    "Kategorie, Version; ohne Text).",
    "not_computed": "Noch nicht berechnet: Dieser Warehouse fehlen die Tabellen {tables} (ein "
    "erster Lauf ist vor ihrem Aufbau abgebrochen). Zahlen dieses Abschnitts fehlen deshalb.",
    "not_computed_area": "noch nicht berechnet (Tabellen fehlen)",
    "missing_tables": "Dieser Bericht ist unvollständig: {count} Tabellen, aus denen er liest, "
    "gibt es in diesem Warehouse noch nicht. Betroffene Abschnitte sagen es.",
}

EN: dict[str, str] = {
    "sec_review": "Free text held for review",
    "v_review": "{held} free-text values held for review (the independent guard suspects "
    "special-category data).",
    "review_intro": "After the scanner has redacted it, a second, independent stem list checks "
    "every free-text value (version {guard}). If it still finds a word of a special category, "
    "the whole value is not stored but replaced by “{marker}” and listed here: {held} values. "
    "They stay held until a new scanner version checks them again or you release a value after "
    "reading it in the CRM (an entry with table, column, record id and text HMAC in the release "
    "file). The blocking check then searches every stored value with the same list.",
    "review_none": "No free-text value is held.",
    "h_category": "Category (suspected)",
    "h_held": "Held",
    "h_record_ids": "First record ids",
    "h_held_at": "Since",
    "src_review": "Free-text values held for review (table, column, record id, category, "
    "version; no text).",
    "not_computed": "Not computed yet: this warehouse lacks the tables {tables} (a first run "
    "stopped before building them), so this section's figures are missing.",
    "not_computed_area": "not computed yet (tables missing)",
    "missing_tables": "This report is incomplete: {count} tables it reads do not exist in this "
    "warehouse yet. The sections concerned say so.",
}

REVIEW_TEXTS: dict[str, dict[str, str]] = {"de": DE, "en": EN}
