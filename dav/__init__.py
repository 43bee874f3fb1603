"""Phone and calendar sync: a CardDAV (two-way) and CalDAV (read-only) server.

Radicale speaks the protocol (discovery, PROPFIND, REPORTs, sync-collection, preconditions);
this app gives it a storage backed by our models, an auth plugin on app passwords, and the
change log behind the sync tokens. The choice: docs/decisions/0008; how it fits:
docs/architecture.md, "Sync with phones".
"""
