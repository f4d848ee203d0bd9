"""Amounts as Indonesian documents write them: in figures (`Rp30.000.000`) and in words
(`tiga puluh juta rupiah`), as on a receipt (kuitansi) or an agreement (plain data, no I/O)."""

from __future__ import annotations

ONES = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)
SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{ONES[hundreds]} ratus")
    if rest < 12:
        if rest:
            words.append(ONES[rest])
    elif rest < 20:
        words.append(f"{ONES[rest - 10]} belas")
    else:
        tens, unit = divmod(rest, 10)
        words.append(f"{ONES[tens]} puluh")
        if unit:
            words.append(ONES[unit])
    return words


def terbilang(n: int) -> str:
    """A whole number in Indonesian words: 1_250_000 -> `satu juta dua ratus lima puluh ribu`
    (`seribu`, `seratus`, `sebelas`, `sepuluh` as written; up to 999 triliun)."""
    if n < 0:
        return f"minus {terbilang(-n)}"
    if n == 0:
        return ONES[0]
    if n >= 10**15:
        raise ValueError(f"{n} is beyond what terbilang writes (below 10^15)")
    words: list[str] = []
    for size, name in SCALES:
        count, n = divmod(n, size)
        if count == 1 and size == 1000:
            words.append("seribu")
        elif count:
            words += [*_below_thousand(count), name]
    words += _below_thousand(n)
    return " ".join(words)


def rupiah_words(amount: int) -> str:
    """`tiga puluh juta rupiah`."""
    return f"{terbilang(amount)} rupiah"


def rupiah(amount: int | None) -> str:
    """`Rp30.000.000` (an amount not decided yet: a dash)."""
    return "-" if amount is None else "Rp" + f"{int(amount):,}".replace(",", ".")
