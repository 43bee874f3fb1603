"""Views of people and their details, one module per area (docs/architecture.md)."""
