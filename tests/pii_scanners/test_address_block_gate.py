"""The address-block gate searched backwards (``_ADDRESS_BLOCK_GATE_REVERSED`` on the reversed
note) says yes exactly when the forward block regex finds a match in the note.

Why random texts: the reversed expression is written by hand; the texts combine every piece
the forward expression has (letter, house number with letter and range, comma / line break /
blanks, country prefix, four- or five-digit postcode, trailing whitespace) with near misses
(six digits, no blank after the postcode, a digit before the street letter, other dashes).
"""

from __future__ import annotations

import random

from pii_scanners.recognizers.common_address_recognizer import (
    _ADDRESS_BLOCK_GATE,
    ADDRESS_BLOCK_GATE,
)

PIECES = (
    "Gartenstraße", "Weg", "a", "Z", "ß", "é", "x", "14", "3", "123", "1234", "12345", "123456",
    "b", "-", "–", "—", "/", ",", " ", " ", "  ", "\t", "\n", " \n ", "D-", "A-", "CH-", "d-",
    "Bonn", "Bestellung", "_", "5", ".", ":", "\u00a0", "ü", "Ⅻ", "٣", "0",
)  # fmt: skip


#: The forward expression's parts in order, each with variants that fit and that do not.
SHAPE = (
    ("Straße", "weg", "x", "ß", "1", "_", ""),
    ("", " ", "  ", "\t", "\n"),
    ("", "14", "3", "123", "1234"),
    ("", " ", "a", "z", "B", " b"),
    ("", "-5", " - 7b", "–12", "/3", "—4", "-1234"),
    ("", " ", "\t"),
    (",", ", ", " ", "\n", " \n\t", "", ",\n"),
    ("", "D-", "A-", "CH-", "d-", "CH"),
    ("12345", "1234", "123", "123456", "5000"),
    (" ", "\n", "\u00a0", "", ".", "x"),
)


def random_texts(count: int, seed: int) -> list[str]:
    """Half free combinations of pieces, half the expression's shape with random variants."""
    rng = random.Random(seed)
    texts = []
    for i in range(count):
        if i % 2:
            texts.append("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 16))))
        else:
            core = "".join(rng.choice(options) for options in SHAPE)
            texts.append(rng.choice(PIECES) + core + rng.choice(PIECES))
    return texts


def test_the_reversed_gate_agrees_with_the_forward_block_regex_on_random_texts() -> None:
    texts = random_texts(40_000, seed=16)
    forward = [_ADDRESS_BLOCK_GATE.search(t) is not None for t in texts]
    backward = [ADDRESS_BLOCK_GATE.search(t) is not None for t in texts]
    assert sum(forward) > 1_000  # the texts reach both answers often
    assert len(texts) - sum(forward) > 1_000
    differing = [t for t, f, b in zip(texts, forward, backward, strict=True) if f != b]
    assert not differing, f"{len(differing)} texts differ, e.g. {differing[:3]!r}"


def test_the_reversed_gate_finds_a_letter_address_block_and_rejects_an_order_number() -> None:
    assert ADDRESS_BLOCK_GATE.search("Gartenstraße 14\n53111 Bonn")
    assert ADDRESS_BLOCK_GATE.search("Musterweg 3a-5b, D-12345 Berlin")
    assert not ADDRESS_BLOCK_GATE.search("Bestellung 123456 ist raus")
