"""IBANs: Presidio's IbanRecognizer (ISO 13616 format + mod-97 checksum).

Legal relevance: a bank account number identifies the account holder (Art. 4(1) GDPR) and is
financial data whose leak enables direct-debit fraud; payment data in notes must be redacted.

Accuracy note: Presidio matches 2 letters + 2 check digits + groups of four, with or without
spaces or dashes, and keeps only matches whose checksum is valid, so spaced IBANs
("DE89 3704 0044 ...") are found and random digit runs are not. An IBAN with a typo in it
(wrong checksum) is not reported — the labelling convention counts it, so such a note is a
known miss; a QR/SEPA payload or an IBAN split over two lines is missed too.
"""

from __future__ import annotations

from presidio_analyzer.predefined_recognizers import IbanRecognizer


class ChecksumIbanRecognizer(IbanRecognizer):
    """Presidio's IbanRecognizer; no context words (a valid IBAN already scores 1.0)."""

    def __init__(self, supported_language: str) -> None:
        super().__init__(supported_language=supported_language, name="IbanRecognizer")
        # Context could not raise a validated 1.0 score; without it the spaCy pipeline is not
        # needed for notes whose only PII is an IBAN (engine.LazyNlpArtifacts).
        self.context = []
