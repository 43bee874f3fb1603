"""Text normalisation shared by search columns, sort keys and de-duplication."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free, whitespace-collapsed form of ``text`` ("Émile  Zola" -> "emile zola").

    Works in every script: combining marks are dropped after NFKD decomposition, and casefold()
    handles ß and friends. Used for the stored search and sort columns, so SQLite and PostgreSQL
    behave the same without database collations.
    """
    # NUL can't be stored or searched for in PostgreSQL; lone surrogates can't be encoded.
    text = text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFKC", stripped).split())
