"""PII recognizers through the real scanner: one table of positives, negatives and edge cases
per family and language, with exact spans (written for these tests, not from the dev notes).

A row lists every PII finding the note must produce as (entity, phrase); the phrase's first
occurrence gives the exact offsets. A row with no spans is a negative for PII. Special-category
findings are tested elsewhere and ignored here.
"""

# ruff: noqa: E501 - one table row per line reads best
from __future__ import annotations

import pytest

from pii_scanners.models import ScanRequest

PII = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE", "ADDRESS", "DATE_OF_BIRTH"}
E, PH, IB, AD, DOB, PE = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "IBAN_CODE",
    "ADDRESS",
    "DATE_OF_BIRTH",
    "PERSON",
)

CASES: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    # ---------------------------------------------------------------- EMAIL_ADDRESS
    ("email-de-plain", "de", "Bitte Belege an buchhaltung@firma-beispiel.de schicken.",
     [(E, "buchhaltung@firma-beispiel.de")]),
    ("email-en-dotted-local-part", "en", "Reply to j.smith+orders@example.co.uk by Friday.",
     [(E, "j.smith+orders@example.co.uk")]),
    ("email-unknown-tld-is-not-an-address", "en", "Test string foo@bar.invalidtld only.", []),
    ("email-at-sign-in-prose-is-not-an-address", "de", "Treffen @ Lager um 10 Uhr.", []),
    # ---------------------------------------------------------------- PHONE_NUMBER
    ("phone-de-mobile", "de", "Erreichbar unter 0171 2345678 ab 18 Uhr.", [(PH, "0171 2345678")]),
    ("phone-de-international", "de", "Tel. +49 30 901820, Durchwahl bitte erfragen.",
     [(PH, "+49 30 901820")]),
    ("phone-at-landline", "de", "Filiale Wien: 01 5880 1234.", [(PH, "01 5880 1234")]),
    ("phone-ch-international", "de", "Rückfragen unter +41 44 668 18 00.", [(PH, "+41 44 668 18 00")]),
    ("phone-gb-landline", "en", "Call the depot on 0161 496 0000 please.", [(PH, "0161 496 0000")]),
    ("phone-gb-mobile", "en", "Her mobile is 07700 900456.", [(PH, "07700 900456")]),
    ("phone-order-number-is-not-a-phone", "de", "Bestellung 16930512 ist unterwegs.", []),
    ("phone-date-is-not-a-phone", "de", "Lieferung am 14.12.2024 erfolgt.", []),
    ("phone-tracking-number-is-not-a-phone", "en", "Tracking 00340434161234567890 shows delivered.",
     []),
    # ---------------------------------------------------------------- IBAN_CODE
    ("iban-de-spaced", "de", "IBAN DE89 3704 0044 0532 0130 00 bitte verwenden.",
     [(IB, "DE89 3704 0044 0532 0130 00")]),
    ("iban-de-compact", "de", "Konto: DE89370400440532013000.", [(IB, "DE89370400440532013000")]),
    ("iban-gb-spaced", "en", "Pay to GB29 NWBK 6016 1331 9268 19 today.",
     [(IB, "GB29 NWBK 6016 1331 9268 19")]),
    ("iban-wrong-checksum-is-not-reported", "de", "IBAN DE00 3704 0044 0532 0130 00 falsch.", []),
    # ---------------------------------------------------------------- ADDRESS
    ("address-de-street-postcode-city", "de", "Neue Anschrift: Musterstraße 12a, 12345 Berlin.",
     [(AD, "Musterstraße 12a, 12345 Berlin")]),
    ("address-de-abbreviated-street", "de", "Lieferung an Goethestr. 7 bitte.", [(AD, "Goethestr. 7")]),
    ("address-de-preposition-street", "de", "Wir wohnen Am Markt 3, 1010 Wien.",
     [(AD, "Am Markt 3, 1010 Wien")]),
    ("address-de-two-word-street", "de", "Abholung Berliner Allee 44 im Hof.", [(AD, "Berliner Allee 44")]),
    ("address-de-hyphenated-street", "de", "Paket an Karl-Marx-Straße 101, 12043 Berlin geschickt.",
     [(AD, "Karl-Marx-Straße 101, 12043 Berlin")]),
    ("address-uk-street-postcode", "en", "Deliver to 221B Baker Street, London NW1 6XE please.",
     [(AD, "221B Baker Street, London NW1 6XE")]),
    ("address-uk-flat-line", "en", "Send it to flat 2, 9 Queen's Road, Bath BA1 1AA.",
     [(AD, "flat 2, 9 Queen's Road, Bath BA1 1AA")]),
    ("address-city-alone-is-not-an-address", "de", "Der Kunde wohnt in Hamburg.", []),
    ("address-time-is-not-a-house-number", "de", "Am Montag 10 Uhr ist der Termin.", []),
    ("address-quantity-is-not-a-house-number", "de", "Im Paket 2 Stück vergessen.", []),
    ("address-de-letter-block-street-without-known-suffix", "de", "Herrn\nJonas Brenner\nGoethestrsse 12\n60313 Frankfurt",
     [(PE, "Jonas Brenner"), (AD, "Goethestrsse 12\n60313 Frankfurt")]),
    ("address-de-street-and-postcode-without-house-number", "de", "Neue Anschrift: Lindenallee, 50968 Köln.",
     [(AD, "Lindenallee, 50968 Köln")]),
    ("address-de-dot-after-street-word", "de", "Lieferung an Bahnhofstraße. 12 b, 79098 Freiburg",
     [(AD, "Bahnhofstraße. 12 b, 79098 Freiburg")]),
    ("address-amount-is-no-address-block", "de", "Rechnung 12 10000 Euro offen.", []),
    ("address-points-are-no-address-block", "de", "Gutschein 50 10000 Punkte gutgeschrieben.", []),
    ("address-de-block-with-country-prefix-on-one-line", "de", "Anschrift: Kaiserplatz 3 D-80331 München",
     [(AD, "Kaiserplatz 3 D-80331 München")]),
    ("address-en-usps-street-suffix", "en", "Ship it to 17 Walnut Crossing, Leeds LS2 9JT please.",
     [(AD, "17 Walnut Crossing, Leeds LS2 9JT")]),
    ("address-en-order-quantity-is-not-a-street", "en", "I bought 4 Christmas Lights and 2 Race Track sets.", []),
    # The gazetteer's PERSON runs into the street word; the overlap resolves to the union, on
    # which both types are reported (pii_scanners.scanner.resolve_overlaps).
    ("address-name-before-street-stays-a-name", "de", "Herr Dr. Felix Aumann Lindenweg 3, 12345 Berlin",
     [(AD, "Felix Aumann Lindenweg 3, 12345 Berlin"), (PE, "Felix Aumann Lindenweg 3, 12345 Berlin")]),
    # ---------------------------------------------------------------- DATE_OF_BIRTH
    ("dob-de-geb-numeric", "de", "Sohn Jonas (geb. 04.05.2016) wünscht sich Lego.",
     [(PE, "Jonas"), (DOB, "04.05.2016")]),
    ("dob-de-birthday-day-month", "de", "Ihr Geburtstag ist am 7. August, bitte Karte beilegen.",
     [(DOB, "7. August")]),
    ("dob-de-geburtsdatum", "de", "Geburtsdatum: 1961-11-23, Ausweis geprüft.", [(DOB, "1961-11-23")]),
    ("dob-en-born-on", "en", "She was born on 3 May 1990 in Leeds.", [(DOB, "3 May 1990")]),
    ("dob-en-turning-on", "en", "He is turning 7 on 18 March, party box please.", [(DOB, "18 March")]),
    ("dob-en-dob-label", "en", "DOB: 12/10/1984 verified.", [(DOB, "12/10/1984")]),
    ("dob-delivery-date-is-not-a-birth-date", "de", "Zum Geburtstag! Lieferung bitte bis 12.12.", []),
    ("dob-wedding-date-is-not-a-birth-date", "en", "Our wedding is on 14 June 2025.", []),
    # ---------------------------------------------------------------- PERSON
    ("person-de-honorific-surname", "de", "Herr Lindqvist ruft morgen zurück.", [(PE, "Lindqvist")]),
    ("person-de-honorific-full-name", "de", "Frau Dr. Anna Berger hat bestellt.", [(PE, "Anna Berger")]),
    ("person-de-kinship-given-name", "de", "Für meine Tochter Lea bitte in Rosa.", [(PE, "Lea")]),
    ("person-de-kinship-mama", "de", "Viele Küsse, Mama Claudia", [(PE, "Claudia")]),
    ("person-de-sign-off", "de", "Danke für alles! Liebe Grüße Max", [(PE, "Max")]),
    ("person-de-self-introduction", "de", "Hallo, ich heiße Ronja und bin sieben.", [(PE, "Ronja")]),
    ("person-de-role-full-name", "de", "Ansprechpartnerin Kathrin Vogt, Einkauf.", [(PE, "Kathrin Vogt")]),
    ("person-de-signature-unknown-name", "de", "Ich wünsche mir einen Roller. Jolin", [(PE, "Jolin")]),
    ("person-en-honorific", "en", "Mrs O'Connell rang about the order.", [(PE, "O'Connell")]),
    ("person-en-kinship", "en", "A gift for my daughter Emma, age 6.", [(PE, "Emma")]),
    ("person-en-my-name-is", "en", "Hi, my name is Declan and the box was empty.", [(PE, "Declan")]),
    ("person-en-sign-off", "en", "Thanks so much for the help. Cheers, Harriet", [(PE, "Harriet")]),
    ("person-en-sentence-initial-full-name", "en", "Joanne Reid called about the invoice.",
     [(PE, "Joanne Reid")]),
    ("person-church-name-is-not-a-person", "de", "Kerzen für die Gemeinde St. Paul liefern.", []),
    ("person-compound-is-not-a-person", "de", "Zutritt per Iris-Scan im Lager.", []),
    ("person-santa-is-not-a-person", "en", "Dear Santa, a bike please. Thanks, Santa fan", []),
    ("person-closing-word-is-not-a-name", "de", "Paket ist angekommen. Erledigt.", []),
    ("person-no-name-after-cue", "de", "Der Kunde fragt nach dem Lieferstatus.", []),
    ("person-de-rank-nouns-after-honorifics-are-not-names", "de", "Sehr geehrte Frau Kollegin, sehr geehrter Herr Kollege, anbei der Bericht.", []),
    ("person-de-inflected-rank-noun-is-not-a-name", "de", "Liebe Frau Oberärztin, wir melden uns.", []),
    ("person-de-surname-after-rank-noun", "de", "Guten Tag Herr Professor Lindqvist, vielen Dank.", [(PE, "Lindqvist")]),
    ("person-de-title-chain-initial-and-surname", "de", "Mit freundlichen Grüßen\nProf. Dr. med. R. Tannenberg\nChefarzt",
     [(PE, "R. Tannenberg")]),
    ("person-de-initial-alone-after-honorific", "de", "Wir haben Herrn T. zur Kontrolle einbestellt.", [(PE, "T.")]),
    ("person-de-surname-with-particle", "de", "Die Aufnahme von Frau van Dijk erfolgte elektiv.", [(PE, "van Dijk")]),
    ("person-de-inverted-name-before-birth-date", "de", "Betrifft: Quandt, Mirella, geb. 03.02.1961, wohnhaft in Köln",
     [(PE, "Quandt, Mirella"), (DOB, "03.02.1961")]),
    ("person-de-person-noun-before-birth-date-is-not-a-name", "de", "Unser Kind, geb. 03.02.2019, braucht Größe 98.", [(DOB, "03.02.2019")]),
    ("person-de-unit-after-number-is-not-a-name", "de", "Leukozyten 6,2 Tsd/µl; Erythrozyten 4,1 Mio/µl.", []),
    ("person-en-word-name-at-sentence-start-is-the-word", "en", "Mark the parcel as fragile, please.", []),
    ("person-en-word-name-with-surname-is-a-name", "en", "Mark Holloway called about the invoice.", [(PE, "Mark Holloway")]),
    ("person-en-one-word-question-is-not-a-signature", "en", "The parcel never arrived. Why?", []),
    ("person-en-thing-after-the-is-not-a-name", "en", "We met at the Toy Fair in hall 4.", []),
    ("person-de-two-names-after-plural-title", "de", "Befunde liegen vor (Drs. Okonjo und Brandtner melden sich).",
     [(PE, "Okonjo"), (PE, "Brandtner")]),
    ("person-de-capitals-inverted-name-after-honorific", "de", "Aufnahme von Frau KELLERMANN, Rosvitha, am Montag.",
     [(PE, "KELLERMANN, Rosvitha")]),
    ("person-en-name-before-degree", "en", "Kind regards,\nTadeusz Wierzbicki MD PhD\nWard physician", [(PE, "Tadeusz Wierzbicki")]),
    ("person-measurement-after-capitals-is-not-a-degree", "de", "Perimetrie: RA MD 4.97, LA MD -2,5", []),
    # ---------------------------------------------------------------- a note in the other language
    ("english-note-with-german-address", "en", "Please ship to Hauptstraße 5, 80331 München.",
     [(AD, "Hauptstraße 5, 80331 München")]),
    ("german-note-with-uk-phone", "de", "Rückruf an Mr Hughes, 020 7946 0018.",
     [(PE, "Hughes"), (PH, "020 7946 0018")]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_pii_recognizer_table_row_gives_exactly_the_expected_spans(scanner, lang, text, expected):
    result = scanner.scan_batch([ScanRequest("t", text, lang)])[0]
    got = sorted((f.entity_type, f.start, f.end) for f in result.findings if f.entity_type in PII)
    want = sorted(
        (entity, text.index(phrase), text.index(phrase) + len(phrase))
        for entity, phrase in expected
    )
    assert got == want, [(e, text[s:t]) for e, s, t in got]


def test_known_names_from_the_crm_are_found_even_lowercase_and_as_parts(scanner):
    text = "liebe grüße von jasper. Frau Okonkwo-Bauer kommt später."
    request = ScanRequest("k", text, "de", known_names=("Jasper Lind", "Adaeze Okonkwo-Bauer"))
    result = scanner.scan_batch([request])[0]
    names = {text[f.start : f.end] for f in result.findings if f.entity_type == "PERSON"}
    assert {"jasper", "Okonkwo-Bauer"} <= names


def test_honorific_and_kinship_words_stay_outside_person_spans(scanner):
    text = "Herr Dr. Klaus Meyer und Oma Ilse"
    result = scanner.scan_batch([ScanRequest("h", text, "de")])[0]
    spans = [text[f.start : f.end] for f in result.findings if f.entity_type == "PERSON"]
    assert spans == ["Klaus Meyer", "Ilse"]
