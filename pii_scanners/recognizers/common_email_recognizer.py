"""E-mail addresses: Presidio's EmailRecognizer with an offline public-suffix check.

Legal relevance: an e-mail address identifies a natural person directly or indirectly
(Art. 4(1) GDPR); role mailboxes are labelled too (eval README) because they route to people.

Accuracy note: Presidio's regex plus a public-suffix validation (``tldextract``). The stock
recognizer calls ``tldextract.extract``, whose module-level extractor fetches the suffix list
from the internet on first use unless ``TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS`` was empty when
tldextract was imported. We do not depend on import order: this recognizer validates with its
own extractor built with ``suffix_list_urls=()`` and ``cache_dir=None``, which reads only the
snapshot shipped inside the tldextract wheel and writes nothing to disk. Addresses with an
unknown TLD (``a@b.invalid``) are therefore rejected; obfuscated forms ("a at b dot de") are
not found.
"""

from __future__ import annotations

from functools import lru_cache

import tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer


@lru_cache(maxsize=1)
def offline_extractor() -> tldextract.TLDExtract:
    """A TLDExtract that can only use the bundled public-suffix snapshot."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


class OfflineEmailRecognizer(EmailRecognizer):
    """EmailRecognizer whose suffix validation never touches the network."""

    def __init__(self, supported_language: str = "de") -> None:
        super().__init__(supported_language=supported_language, name="OfflineEmailRecognizer")
        # A validated address already scores 1.0, so context words cannot change anything; an
        # empty context also spares the spaCy pipeline for notes whose only PII is an e-mail
        # (engine.LazyNlpArtifacts).
        self.context = []

    def validate_result(self, pattern_text: str) -> bool:
        return offline_extractor()(pattern_text).fqdn != ""
