"""The report's wording in German (default) and English, written for a DPO, not an engineer."""

from __future__ import annotations

from typing import Literal

Language = Literal["de", "en"]

# Headers of the wide tables (consent: nine columns; Art. 30 record) carry soft hyphens (U+00AD)
# in their long compounds: in a narrow window they may break "Eltern-zustimmung" there, and
# nowhere else. Browsers have no German hyphenation dictionary offline, so ``hyphens: auto``
# would not help.
DE: dict[str, str] = {
    "title": "Datenschutz-Compliance-Bericht",
    "thousands": ".",
    "meta": "Stichtag {as_of} · Pipeline-Lauf {run} · enthält nur Anzahlen und Kennungen, "
    "keine personenbezogenen Inhalte",
    "green": "in Ordnung",
    "amber": "beobachten",
    "red": "handeln",
    "sec_verdict": "Gesamturteil",
    "verdict_green": "Alle geprüften Bereiche sind in Ordnung.",
    "verdict_amber": "Es gibt keine akuten Verstöße, aber Punkte, die Sie beobachten sollten.",
    "verdict_red": "Mindestens ein Bereich verlangt Ihr Handeln; Einzelheiten in den Abschnitten "
    "unten.",
    "run_failed": "Dieser nächtliche Lauf ist fehlgeschlagen (Schritt {step}). Abschnitte, deren "
    "Tabellen nach diesem Schritt entstehen, zeigen noch den Stand des letzten erfolgreichen "
    "Laufs; Ausgaben nach diesem Schritt (etwa Löschmanifest oder Exporte) hat dieser Lauf nicht "
    "erzeugt.",
    "v_special": "{findings} Fundstellen besonderer Kategorien (Art. 9) geschwärzt, "
    "{pending} Benachrichtigungen offen.",
    "v_retention": "{overdue} Löschungen sind überfällig.",
    "v_consent": "{sends} Werbesendungen ohne gültige Einwilligung oder nach Widerspruch; "
    "{gaps} Einwilligungen ohne Double-Opt-in oder Elternzustimmung.",
    "v_requests": "{open} Betroffenenanfragen offen, davon {overdue} überfällig.",
    "v_quality": "{total} Prüfungen; {blocking} blockierende und {advisory} beratende "
    "fehlgeschlagen.",
    "v_access": "{violations} Rollen sehen Datenklassen, die sie nicht sehen dürfen.",
    "sec_special": "Besondere Kategorien personenbezogener Daten (Art. 9 DSGVO)",
    "special_intro": "Fundstellen des Scanners in Freitexten nach Kategorie und Quelle. Was der "
    "Scanner findet, wird vor der Speicherung geschwärzt; was er übersieht, wird ungeschwärzt "
    "gespeichert. Wie viel er übersieht, steht unten: die für seine Version gemessenen "
    "Erkennungsraten und die Verdachtsfälle der unabhängigen Prüfung.",
    "v_scanner_not_evaluated": "Für {versions} der Scannerversionen, die die gespeicherten Daten "
    "erzeugt haben, sind keine Messwerte hinterlegt.",
    "v_scanner_missed": "Der Scanner verfehlt {missed} seiner Zielwerte.",
    "v_scanner_ok": "Der Scanner erreicht alle gemessenen Zielwerte.",
    "v_guard_not_run": "Die unabhängige Prüfung ist noch nicht gelaufen.",
    "v_guard_held": "{held} Freitextwerte zur Prüfung zurückgehalten.",
    "h_scanner_quality": "Wie zuverlässig erkennt der Scanner?",
    "sq_intro": "Jede gespeicherte Fundstelle trägt die Version des Scanners, der sie gefunden "
    "hat. Für jede Version steht hier, wie viele Freitextwerte sie geprüft hat und was für genau "
    "diese Version auf beschrifteten Texten gemessen wurde: der Anteil der sensiblen Stellen, die "
    "sie findet (Erkennungsrate), und der Anteil ihrer Treffer, die wirklich sensibel sind "
    "(Präzision). Eine Erkennungsrate unter 100 % bedeutet, dass ein Teil solcher Stellen "
    "ungeschwärzt gespeichert sein kann.",
    "sq_no_scans": "Im Data Warehouse sind noch keine gescannten Freitexte gespeichert.",
    "sq_unscanned": "ohne Scanner gespeichert",
    "sq_not_evaluated_short": "nicht bewertet",
    "sq_not_evaluated": "Die Scannerversion {version} wurde nie gemessen: Für sie liegen keine "
    "Erkennungsraten vor, und niemand kann sagen, wie viele sensible Stellen sie übersieht. "
    "Bitten Sie das Technikteam, sie mit <code>make evaluate</code> zu messen.",
    "sq_targets": "bewertet; {missed} von {targets} Zielwerten verfehlt",
    "h_figures": "Messwerte der Scannerversion {version}",
    "sq_corpus_meta": "Datei {file} (SHA-256 {sha}…), gemessen am {date}.",
    "about_labelled_notes": "beschriftete CRM-Notizen. An ihnen wurde der Scanner entwickelt; "
    "auf neuen Texten liegen die Werte erfahrungsgemäß niedriger.",
    "about_identity_term_coverage": "kurze echte Sätze über Personengruppen (Deutsch und "
    "Englisch). Gemessen wird, ob der Scanner die Gruppenbezeichnungen kennt, auch in "
    "Schreibvarianten, und wie oft er in harmlosen Sätzen anschlägt; das ist nicht die "
    "Erkennungsrate in CRM-Notizen.",
    "about_clinical_letters_phi": "deutsche Arztbriefe (synthetisch) mit markierten Namen, "
    "Adressen, Geburtsdaten und Telefonnummern; jeder Brief enthält Gesundheitsdaten.",
    "corpus_dev_notes": "Entwicklungsnotizen",
    "corpus_hatecheck": "HateCheck",
    "corpus_grascco_phi": "GraSCCo-Arztbriefe",
    "h_version": "Scanner\u00adversion",
    "h_values": "geprüfte Freitext\u00adwerte",
    "h_special_findings": "davon Art. 9",
    "h_evaluation": "Messung",
    "h_corpus": "Textsammlung",
    "h_measure": "Kennzahl",
    "h_measured": "gemessen",
    "h_counts": "Anzahl",
    "h_target": "Ziel",
    "m_special_recall": "Art.-9-Stellen gefunden (Erkennungsrate)",
    "m_special_precision": "korrekte Art.-9-Treffer (Präzision)",
    "target_met": "erreicht",
    "target_missed": "verfehlt",
    "m_note_recall": "Notizen mit Art.-9-Daten erkannt",
    "m_category": "{category}: Stellen gefunden",
    "m_pii_recall": "E-Mail, Telefon, IBAN, Adresse, Geburtsdatum gefunden",
    "m_pii_precision": "korrekte Treffer bei E-Mail, Telefon, IBAN, Adresse, Geburtsdatum",
    "m_person_recall": "Namen gefunden",
    "m_person_precision_proxy": "Namenstreffer, die auf eine markierte Stelle fallen",
    "m_address_recall": "Adressen gefunden",
    "m_dob_recall": "Geburtsdaten gefunden",
    "m_phone_recall": "Telefonnummern gefunden",
    "m_health_letters": "Briefe mit erkannten Gesundheitsdaten",
    "m_cov_de_plain": "deutsche Gruppenbezeichnungen erkannt",
    "m_cov_de_spelling": "deutsche Gruppenbezeichnungen in Schreibvarianten erkannt",
    "m_benign_de": "harmlose deutsche Sätze mit Fehlalarm",
    "m_cov_en_plain": "englische Gruppenbezeichnungen erkannt",
    "m_cov_en_spelling": "englische Gruppenbezeichnungen in Schreibvarianten erkannt",
    "m_benign_en": "harmlose englische Sätze mit Fehlalarm",
    "cat_HEALTH": "Gesundheit",
    "cat_RELIGION": "Religion oder Weltanschauung",
    "cat_ETHNIC_ORIGIN": "ethnische Herkunft",
    "cat_POLITICAL_OPINION": "politische Meinung",
    "cat_TRADE_UNION": "Gewerkschaftszugehörigkeit",
    "cat_SEX_LIFE": "Sexualleben oder sexuelle Orientierung",
    "cat_GENETIC": "genetische Daten",
    "cat_BIOMETRIC": "biometrische Daten",
    "cat_CRIMINAL_OFFENCE": "Straftaten",
    "h_guard": "Unabhängige Prüfung: zurückgehaltene Freitexte",
    "guard_not_run": "Die unabhängige Prüfung der gespeicherten Freitexte ist auf diesem Data "
    "Warehouse noch nicht gelaufen: Es gibt keine Liste zurückgehaltener Werte, und was der "
    "Scanner übersehen hat, hat niemand ein zweites Mal gesucht.",
    "guard_summary": "Eine zweite, vom Scanner unabhängige Suche nach Begriffen besonderer "
    "Kategorien hat {suspected} Verdachtsfälle gemeldet; {held} Freitextwerte sind deshalb zur "
    "Prüfung zurückgehalten (Version der Prüfung: {versions}).",
    "guard_see_review": "Welche Datensätze zurückgehalten sind und was zu tun ist, steht im "
    'Abschnitt <a href="#sec-review">Zur Prüfung zurückgehaltene Freitexte</a>.',
    "h_category": "Kategorie",
    "h_held": "zurück\u00adgehaltene Werte",
    "h_record_ids": "Datensätze (Kennungen)",
    "src_scan_status": "Prüfstatus und Scannerversion je gespeichertem Freitextwert (ohne Text).",
    "src_note_findings": "Fundstellen des Scanners mit Scannerversion (ohne Text).",
    "src_review": "Von der unabhängigen Prüfung zurückgehaltene Freitextwerte (nur Kennungen).",
    "src_evaluations": "Gemessene Erkennungsraten je Scannerversion (pii_scanners/evaluations, "
    "erzeugt mit make evaluate) und die Zielwerte (targets.yaml).",
    "chart_by_category": "Fundstellen nach Kategorie",
    "chart_trend": "Fundstellen besonderer Kategorien je CRM-Export",
    "h_trend": "Verlauf über die Exporte",
    "sec_notifications": "Schwärzungen und Benachrichtigungen der Betroffenen",
    "notifications_intro": "{fields} Freitextfelder enthielten Daten besonderer Kategorien und "
    "wurden geschwärzt; {pending} Betroffene warten noch auf ihre Benachrichtigung.",
    "sec_retention": "Aufbewahrung und nächster Löschlauf",
    "retention_intro": "Aufbewahrungsstatus aller personenbezogenen Datensätze und was der "
    "nächste Löschlauf laut Löschmanifest tun wird.",
    "chart_retention": "Datensätze nach Aufbewahrungsstatus",
    "h_manifest": "Löschmanifest: Maßnahmen nach Grund und Rechtsgrundlage",
    "sec_consent": "Einwilligungen nach Zweck und Kanal",
    "consent_intro": "Abdeckung der Einwilligungen (Art. 7, Art. 8 DSGVO, § 7 UWG), "
    "Double-Opt-in-Lücken, fehlende Elternzustimmungen, Widerrufe und Sendungen ohne gültige "
    "Einwilligung.",
    "chart_consent": "Betroffene mit gültiger Einwilligung je Zweck und Kanal",
    "sec_requests": "Offene Betroffenenanfragen (Art. 12 Abs. 3 DSGVO)",
    "requests_intro": "Überfällige Anfragen zuerst; Frist ein Monat, verlängerbar um zwei.",
    "no_open_requests": "Keine offenen Anfragen.",
    "overdue": "überfällig",
    "sec_quality": "Ergebnisse der Qualitätsprüfungen",
    "quality_intro": "Great-Expectations-Prüfungen des Laufs {run}. Blockierende Prüfungen "
    "halten nachgelagerte Ergebnisse an, beratende melden nur.",
    "h_quality_trend": "Fehlgeschlagene Prüfungen je Lauf",
    "chart_quality_trend": "Fehlgeschlagene Prüfungen je Lauf",
    "blocking": "blockierend",
    "advisory": "beratend",
    "sec_activities": "Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO) und Zugriffe",
    "activities_intro": "Abgeleitet aus den Metadaten der dbt-Modelle: Zweck, Rechtsgrundlage, "
    "Datenklassen, Empfängerrollen und Löschregeln.",
    "h_roles_matrix": "Welche Rolle sieht welche Datenklasse (Anzahl sichtbarer Spalten)",
    "allowed": "erlaubt",
    "denied": "gesperrt",
    "sec_provenance": "Herkunft der Daten nach Quellkanal (Art. 14, 15 Abs. 1 lit. g DSGVO)",
    "provenance_intro": "Betroffene nach dem Kanal, über den ihre Daten erhoben wurden.",
    "chart_provenance": "Betroffene nach Quellkanal",
    "sec_sources": "Quellen",
    "sources_intro": "Jede Zahl im Bericht verweist auf die Tabelle oder Prüfung, die sie "
    "erzeugt hat.",
    "sec_access": "Zugriffsrechte",
    "h_table": "Tabelle",
    "h_column": "Spalte",
    "h_findings": "Fundstellen",
    "h_records": "Daten\u00adsätze",
    "h_status": "Status",
    "h_count": "Anzahl",
    "h_action": "Maßnahme",
    "h_reason": "Grund",
    "h_legal": "Rechts\u00adgrundlage",
    "h_items": "Positionen",
    "h_overdue": "davon überfällig",
    "h_purpose": "Zweck",
    "h_channel": "Kanal",
    "h_subjects": "Betrof\u00adfene",
    "h_valid": "gültig ein\u00adgewilligt",
    "h_withdrawn": "wider\u00adrufen",
    "h_no_doi": "ohne Double-Opt-in",
    "h_no_parental": "ohne Eltern\u00adzustimmung",
    "h_sends": "Sen\u00addungen",
    "h_sends_bad": "ohne gültige Ein\u00adwilligung",
    "h_request": "Anfrage",
    "h_type": "Art",
    "h_article": "Artikel",
    "h_due": "Frist",
    "h_days": "Tage bis Frist",
    "h_check": "Prüfung",
    "h_asset": "geprüfte Tabelle",
    "h_result": "Ergebnis",
    "h_kind": "Art",
    "h_rows": "geprüfte Zeilen",
    "h_unexpected": "Abweichungen",
    "h_classes": "Daten\u00adklassen",
    "h_roles": "Empfänger\u00adrollen",
    "h_rules": "Lösch\u00adregeln",
    "h_class": "Datenklasse",
    "h_channel_src": "Quellkanal",
    "h_subject_type": "Art der Betroffenen",
    "st_pending": "offen",
    "st_sent": "versandt",
    "rs_active": "aktiv",
    "rs_restricted": "eingeschränkt (Aufbewahrungspflicht)",
    "rs_expired": "abgelaufen",
    "rs_erasure_requested": "Löschung verlangt",
    "rs_legal_hold": "rechtlich gesperrt",
    "act_delete": "löschen",
    "act_anonymize": "anonymisieren",
    "act_restrict": "einschränken",
    "rsn_retention_expired": "Aufbewahrungsfrist abgelaufen",
    "rsn_statutory_hold": "gesetzliche Aufbewahrungspflicht",
    "rsn_statutory_hold_of_dependent_records": "Aufbewahrungspflicht abhängiger Belege",
    "rsn_redaction_writeback": "Schwärzung im CRM nachziehen",
    "rsn_photo_without_consent": "Foto ohne Einwilligung",
    "rsn_erasure_request": "Löschverlangen (Art. 17)",
    "rsn_consent_withdrawn": "Einwilligung widerrufen",
    "rsn_erasure_request_statutory_hold": "Löschverlangen, aber Aufbewahrungspflicht",
    "rsn_restriction_request": "Einschränkungsverlangen (Art. 18)",
    "rqs_received": "eingegangen",
    "rqs_in_progress": "in Bearbeitung",
    "rqs_completed": "erledigt",
    "rqs_rejected": "abgelehnt",
    "src_findings": "Fundstellen besonderer Kategorien je Betroffenem, Tabelle, Spalte und "
    "Kategorie (ohne Text).",
    "src_findings_history": "Alle Scanner-Fundstellen mit Export und Zeitpunkt (ohne Text).",
    "src_notifications": "Benachrichtigungs-Postausgang für Betroffene mit geschwärzten "
    "Freitexten.",
    "src_retention": "Aufbewahrungsstatus, Regel und Frist je personenbezogenem Datensatz.",
    "src_manifest": "Positionen des neuesten Löschmanifests.",
    "src_consent": "Einwilligungsabdeckung je Zweck, Kanal und Art der Betroffenen.",
    "src_requests": "Betroffenenanfragen mit Fristen.",
    "src_quality": "Ergebnisse der Great-Expectations-Prüfungen je Lauf (nur Anzahlen).",
    "src_activities": "Verarbeitungstätigkeiten aus den dbt-Metadaten.",
    "src_roles": "Sichtbare Datenklassen je Rolle.",
    "src_provenance": "Betroffene mit Herkunftsangaben.",
}

EN: dict[str, str] = {
    "title": "Data protection compliance report",
    "thousands": ",",
    "meta": "Reference date {as_of} · pipeline run {run} · counts and ids only, no personal "
    "content",
    "green": "fine",
    "amber": "watch",
    "red": "act",
    "sec_verdict": "Verdict",
    "verdict_green": "Every area checked is in order.",
    "verdict_amber": "No acute violations, but points you should watch.",
    "verdict_red": "At least one area needs your action; details in the sections below.",
    "run_failed": "This nightly run failed (step {step}). Sections whose tables are built after "
    "that step still show the last successful run; outputs after that step (such as the "
    "deletion manifest or exports) were not written by this run.",
    "v_special": "{findings} special-category findings (Art. 9) redacted, {pending} "
    "notifications pending.",
    "v_retention": "{overdue} deletions are overdue.",
    "v_consent": "{sends} marketing sends without valid consent or after an objection; {gaps} "
    "consents without double opt-in or parental consent.",
    "v_requests": "{open} data-subject requests open, {overdue} of them overdue.",
    "v_quality": "{total} checks; {blocking} blocking and {advisory} advisory failed.",
    "v_access": "{violations} roles see data classes they must not see.",
    "sec_special": "Special categories of personal data (Art. 9 GDPR)",
    "special_intro": "Scanner findings in free text by category and source. What the scanner "
    "finds is redacted before storage; what it misses is stored unredacted. How much it misses "
    "is shown below: the detection rates measured for its version and the suspected leaks of "
    "the independent guard.",
    "v_scanner_not_evaluated": "No measured figures are stored for {versions} of the scanner "
    "versions that produced the stored data.",
    "v_scanner_missed": "The scanner misses {missed} of its targets.",
    "v_scanner_ok": "The scanner meets every measured target.",
    "v_guard_not_run": "The independent guard has not run yet.",
    "v_guard_held": "{held} free-text values held for review.",
    "h_scanner_quality": "How reliably does the scanner detect?",
    "sq_intro": "Every stored finding carries the version of the scanner that found it. For each "
    "version this shows how many free-text values it checked and what was measured for exactly "
    "that version on labelled text: the share of sensitive phrases it finds (recall) and the "
    "share of its findings that really are sensitive (precision). A recall below 100% means "
    "that some such phrases may be stored unredacted.",
    "sq_no_scans": "The warehouse holds no scanned free text yet.",
    "sq_unscanned": "stored without a scanner",
    "sq_not_evaluated_short": "not evaluated",
    "sq_not_evaluated": "Scanner version {version} was never measured: there are no detection "
    "rates for it, and nobody can say how many sensitive phrases it misses. Ask the engineering "
    "team to measure it with <code>make evaluate</code>.",
    "sq_targets": "evaluated; {missed} of {targets} targets missed",
    "h_figures": "Measured figures of scanner version {version}",
    "sq_corpus_meta": "file {file} (SHA-256 {sha}…), measured on {date}.",
    "about_labelled_notes": "labelled CRM notes. The scanner was developed on them; on new text "
    "its figures are usually lower.",
    "about_identity_term_coverage": "short real-world sentences about groups of people (German "
    "and English). It measures whether the scanner knows the group terms, including spelling "
    "variants, and how often it fires on harmless sentences; it is not the recall on CRM notes.",
    "about_clinical_letters_phi": "German doctors' letters (synthetic) with names, addresses, "
    "birth dates and phone numbers marked; every letter holds health data.",
    "corpus_dev_notes": "Development notes",
    "corpus_hatecheck": "HateCheck",
    "corpus_grascco_phi": "GraSCCo letters",
    "h_version": "Scanner version",
    "h_values": "Free-text values checked",
    "h_special_findings": "of which Art. 9",
    "h_evaluation": "Measurement",
    "h_corpus": "Corpus",
    "h_measure": "Measure",
    "h_measured": "Measured",
    "h_counts": "Count",
    "h_target": "Target",
    "m_special_recall": "Art. 9 phrases found (recall)",
    "m_special_precision": "Art. 9 findings that are right (precision)",
    "target_met": "met",
    "target_missed": "missed",
    "m_note_recall": "notes with Art. 9 data flagged",
    "m_category": "{category}: phrases found",
    "m_pii_recall": "e-mail, phone, IBAN, address, birth date found",
    "m_pii_precision": "e-mail, phone, IBAN, address, birth date findings that are right",
    "m_person_recall": "names found",
    "m_person_precision_proxy": "name findings on a marked span",
    "m_address_recall": "addresses found",
    "m_dob_recall": "birth dates found",
    "m_phone_recall": "phone numbers found",
    "m_health_letters": "letters with health data flagged",
    "m_cov_de_plain": "German group terms found",
    "m_cov_de_spelling": "German group terms found in spelling variants",
    "m_benign_de": "harmless German sentences with a false alarm",
    "m_cov_en_plain": "English group terms found",
    "m_cov_en_spelling": "English group terms found in spelling variants",
    "m_benign_en": "harmless English sentences with a false alarm",
    "cat_HEALTH": "Health",
    "cat_RELIGION": "Religious or philosophical beliefs",
    "cat_ETHNIC_ORIGIN": "Racial or ethnic origin",
    "cat_POLITICAL_OPINION": "Political opinions",
    "cat_TRADE_UNION": "Trade union membership",
    "cat_SEX_LIFE": "Sex life or sexual orientation",
    "cat_GENETIC": "Genetic data",
    "cat_BIOMETRIC": "Biometric data",
    "cat_CRIMINAL_OFFENCE": "Criminal offences",
    "h_guard": "Independent guard: free text held for review",
    "guard_not_run": "The independent guard has not yet checked the stored free text of this "
    "warehouse: there is no list of held values, and nobody has searched a second time for what "
    "the scanner missed.",
    "guard_summary": "A second search for special-category terms, independent of the scanner, "
    "reported {suspected} suspected leaks; {held} free-text values are therefore held for "
    "review (guard version: {versions}).",
    "guard_see_review": "Which records are held, and what to do with them, is listed in the "
    'section <a href="#sec-review">Free text held for review</a>.',
    "h_category": "Category",
    "h_held": "Values held",
    "h_record_ids": "Records (ids)",
    "src_scan_status": "Scan status and scanner version per stored free-text value (no text).",
    "src_note_findings": "Scanner findings with scanner version (no text).",
    "src_review": "Free-text values held by the independent guard (ids only).",
    "src_evaluations": "Measured detection rates per scanner version (pii_scanners/evaluations, "
    "written by make evaluate) and the targets (targets.yaml).",
    "chart_by_category": "Findings by category",
    "chart_trend": "Special-category findings per CRM export",
    "h_trend": "Trend over exports",
    "sec_notifications": "Redactions and notifications to data subjects",
    "notifications_intro": "{fields} free-text fields held special-category data and were "
    "redacted; {pending} data subjects still await their notification.",
    "sec_retention": "Retention and the next deletion run",
    "retention_intro": "Retention status of every personal record and what the next deletion "
    "run will do according to the deletion manifest.",
    "chart_retention": "Records by retention status",
    "h_manifest": "Deletion manifest: actions by reason and legal reference",
    "sec_consent": "Consent by purpose and channel",
    "consent_intro": "Consent coverage (Art. 7, Art. 8 GDPR, § 7 UWG), double opt-in gaps, "
    "missing parental consent, withdrawals and sends without valid consent.",
    "chart_consent": "Data subjects with valid consent per purpose and channel",
    "sec_requests": "Open data-subject requests (Art. 12(3) GDPR)",
    "requests_intro": "Overdue requests first; the deadline is one month, extendable by two.",
    "no_open_requests": "No open requests.",
    "overdue": "overdue",
    "sec_quality": "Quality check results",
    "quality_intro": "Great Expectations checks of run {run}. Blocking checks stop downstream "
    "outputs; advisory checks only report.",
    "h_quality_trend": "Failed checks per run",
    "chart_quality_trend": "Failed checks per run",
    "blocking": "blocking",
    "advisory": "advisory",
    "sec_activities": "Record of processing activities (Art. 30 GDPR) and access",
    "activities_intro": "Derived from the dbt model metadata: purpose, legal basis, data "
    "classes, recipient roles and retention rules.",
    "h_roles_matrix": "Which role sees which data class (number of visible columns)",
    "allowed": "allowed",
    "denied": "denied",
    "sec_provenance": "Data provenance by source channel (Art. 14, 15(1)(g) GDPR)",
    "provenance_intro": "Data subjects by the channel their data was collected through.",
    "chart_provenance": "Data subjects by source channel",
    "sec_sources": "Sources",
    "sources_intro": "Every number in this report links to the table or check that produced it.",
    "sec_access": "Access rights",
    "h_table": "Table",
    "h_column": "Column",
    "h_findings": "Findings",
    "h_records": "Records",
    "h_status": "Status",
    "h_count": "Count",
    "h_action": "Action",
    "h_reason": "Reason",
    "h_legal": "Legal reference",
    "h_items": "Items",
    "h_overdue": "of which overdue",
    "h_purpose": "Purpose",
    "h_channel": "Channel",
    "h_subjects": "Data subjects",
    "h_valid": "valid consent",
    "h_withdrawn": "withdrawn",
    "h_no_doi": "no double opt-in",
    "h_no_parental": "no parental consent",
    "h_sends": "Sends",
    "h_sends_bad": "without valid consent",
    "h_request": "Request",
    "h_type": "Type",
    "h_article": "Article",
    "h_due": "Due",
    "h_days": "Days to deadline",
    "h_check": "Check",
    "h_asset": "Checked table",
    "h_result": "Result",
    "h_kind": "Kind",
    "h_rows": "Rows checked",
    "h_unexpected": "Deviations",
    "h_classes": "Data classes",
    "h_roles": "Recipient roles",
    "h_rules": "Retention rules",
    "h_class": "Data class",
    "h_channel_src": "Source channel",
    "h_subject_type": "Kind of data subject",
    "st_pending": "pending",
    "st_sent": "sent",
    "rs_active": "active",
    "rs_restricted": "restricted (statutory hold)",
    "rs_expired": "expired",
    "rs_erasure_requested": "erasure requested",
    "rs_legal_hold": "legal hold",
    "act_delete": "delete",
    "act_anonymize": "anonymise",
    "act_restrict": "restrict",
    "rsn_retention_expired": "retention period expired",
    "rsn_statutory_hold": "statutory retention duty",
    "rsn_statutory_hold_of_dependent_records": "retention duty of dependent records",
    "rsn_redaction_writeback": "apply redaction in the CRM",
    "rsn_photo_without_consent": "photo without consent",
    "rsn_erasure_request": "erasure request (Art. 17)",
    "rsn_consent_withdrawn": "consent withdrawn",
    "rsn_erasure_request_statutory_hold": "erasure request, but retention duty",
    "rsn_restriction_request": "restriction request (Art. 18)",
    "rqs_received": "received",
    "rqs_in_progress": "in progress",
    "rqs_completed": "completed",
    "rqs_rejected": "rejected",
    "src_findings": "Special-category findings per data subject, table, column and category "
    "(no text).",
    "src_findings_history": "All scanner findings with export and time (no text).",
    "src_notifications": "Notification outbox for data subjects whose free text was redacted.",
    "src_retention": "Retention status, rule and deadline per personal record.",
    "src_manifest": "Items of the newest deletion manifest.",
    "src_consent": "Consent coverage per purpose, channel and kind of data subject.",
    "src_requests": "Data-subject requests with deadlines.",
    "src_quality": "Great Expectations check results per run (counts only).",
    "src_activities": "Processing activities from the dbt metadata.",
    "src_roles": "Visible data classes per role.",
    "src_provenance": "Data subjects with provenance.",
}

TEXTS: dict[str, dict[str, str]] = {"de": DE, "en": EN}

# The guard's review section and the "not computed yet" notices live in their own module.
from orchestration.defs.reporting.texts_review import REVIEW_TEXTS  # noqa: E402

for _language, _texts in REVIEW_TEXTS.items():
    TEXTS[_language].update(_texts)

# The block on rows of erased persons delivered again (suppression list, issue 14).
from orchestration.defs.reporting.suppressed import TEXTS as SUPPRESSED_TEXTS  # noqa: E402

for _language, _texts in SUPPRESSED_TEXTS.items():
    TEXTS[_language].update(_texts)
