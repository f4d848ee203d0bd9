"""`make bench` rows of Sisumaker: filled in below."""


def rows(url: str, baseline: float) -> list[dict]:
    return []
