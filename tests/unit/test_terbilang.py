"""Amounts in words as Indonesian receipts and agreements write them (servicekit.terbilang)."""

from __future__ import annotations

import pytest

from servicekit.terbilang import rupiah, rupiah_words, terbilang


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (45, "empat puluh lima"),
        (100, "seratus"),
        (111, "seratus sebelas"),
        (215, "dua ratus lima belas"),
        (1_000, "seribu"),
        (1_001, "seribu satu"),
        (1_100, "seribu seratus"),
        (2_000, "dua ribu"),
        (11_000, "sebelas ribu"),
        (100_000, "seratus ribu"),
        (101_000, "seratus satu ribu"),
        (1_000_000, "satu juta"),
        (1_250_000, "satu juta dua ratus lima puluh ribu"),
        (75_500_000, "tujuh puluh lima juta lima ratus ribu"),
        (1_001_000_000, "satu miliar satu juta"),
        (2_000_000_000_000, "dua triliun"),
        (
            999_999_999_999_999,
            "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan puluh sembilan "
            "miliar sembilan ratus sembilan puluh sembilan juta sembilan ratus sembilan puluh "
            "sembilan ribu sembilan ratus sembilan puluh sembilan",
        ),
    ],
)
def test_numbers_in_words(number, words):
    assert terbilang(number) == words


def test_rupiah_in_figures_and_words():
    assert rupiah(50_250_000) == "Rp50.250.000" and rupiah(None) == "-"
    assert rupiah_words(50_250_000) == "lima puluh juta dua ratus lima puluh ribu rupiah"
    assert terbilang(-5) == "minus lima"
    with pytest.raises(ValueError):
        terbilang(10**15)
