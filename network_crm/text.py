"""Text normalisation shared by search columns, sort keys and de-duplication."""

from __future__ import annotations

import unicodedata

# The folding rule, in one place: lower-case, no accents, no apostrophes, hyphens and dashes as
# spaces, whitespace collapsed. Apostrophes vanish so "O'Brien", "O’Brien" (what phones type) and
# "obrien" are one word; hyphens split words so "darcy" finds "Anne-Marie D’Arcy" and "anne marie"
# finds "Anne-Marie". Applied to the stored columns and to queries alike.
APOSTROPHES = "'’ʼ‘`"  # noqa: RUF001 (the look-alikes are the point)
# Every dash (Unicode category Pd: -, ‐, ‑, –, —, the Hebrew maqaf...) and the minus sign.
DASHES = (
    "\u002d\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e17\u2e1a"
    "\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
)
_APOSTROPHES_AND_DASHES = {ord(ch): None for ch in APOSTROPHES} | {ord(ch): " " for ch in DASHES}


def fold(text: str) -> str:
    """Lower-case, accent-free, apostrophe-free, whitespace-collapsed form of ``text``, with
    hyphens as spaces ("Émile  Zola" -> "emile zola", "Anne-Marie D’Arcy" -> "anne marie darcy").

    Works in every script: combining marks are dropped after NFKD decomposition, and casefold()
    handles ß and friends. Used for the stored search and sort columns, so SQLite and PostgreSQL
    behave the same without database collations.
    """
    # NUL can't be stored or searched for in PostgreSQL; lone surrogates can't be encoded.
    text = text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # After NFKC, so full-width look-alikes (＇, －) are caught too.
    composed = unicodedata.normalize("NFKC", stripped).translate(_APOSTROPHES_AND_DASHES)
    return " ".join(composed.split())


def people(count: int) -> str:
    """ "person" or "people" for ``count`` of them, for messages ("Imported 1 person.")."""
    return "person" if count == 1 else "people"
