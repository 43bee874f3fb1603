"""The portability pages, by area: imports, exports, backup, duplicates and merging."""
