// Quick logs made offline: kept in IndexedDB, sent once with an idempotency key when back online.
