"""Views of the reminder engine, one module per area: the dashboard, actions on reminders, the
signed links in digest emails (no login) and the calendar feed (docs/architecture.md)."""
