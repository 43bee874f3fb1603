"""How much one card, one upload and one account may hold.

Each limit is far above what a real address book has (a person with 20 phone numbers, a card with
2,000 lines, an account with 1,000 interests) and far below what would tie up a web worker or make
a page too heavy to render. The README's security section lists them; keep the two in step.
"""

from __future__ import annotations

from contacts.photos import MAX_UPLOAD_BYTES as MAX_PHOTO_BYTES

# --- Per card (vCard) or row (CSV) ------------------------------------------------------------
# Emails, phones and web addresses each; the rest of a kind is not imported.
MAX_METHODS_PER_KIND = 20
# All ways to reach one person (the three kinds above); the contact form edits at most this many.
MAX_METHODS_PER_CONTACT = 3 * MAX_METHODS_PER_KIND
# Birthdays and other yearly dates of one person; the contact form edits at most this many.
MAX_DATES_PER_CONTACT = 20
# Categories (vCard) or labels (CSV) of one card that become interests.
MAX_INTERESTS_PER_CARD = 50
# Lines of one vCard, a folded line counting once; the rest of the card is not read.
MAX_CARD_LINES = 2_000
# Characters of one vCard line once unfolded: three times the longest note kept, so a note cut to
# its 10,000 characters is cut the same way even quoted-printable. A longer line is cut.
MAX_LINE_CHARS = 30_000
# A photo is a long base64 line: it may be as big as an uploaded photo (base64 is 4/3 larger);
# a bigger one is left out, the rest of the card imports.
MAX_PHOTO_LINE_CHARS = MAX_PHOTO_BYTES * 4 // 3 + 1_000

# --- Per account --------------------------------------------------------------------------------
MAX_INTERESTS_PER_OWNER = 1_000

# --- Per upload ---------------------------------------------------------------------------------
# A file imports inside the web request only when it has at most this many lines (and no more
# cards than IMPORT_SYNC_LIMIT); anything bigger goes to the worker, with a progress bar.
IMPORT_SYNC_MAX_LINES = 20_000

# --- Per page -----------------------------------------------------------------------------------
# Ways to reach, dates and interests a contact's pages show (and the edit page edits); data stored
# before these limits existed can hold more, and the page says how many are not shown.
MAX_SHOWN_INTERESTS = 100
