"""Use cases: one module per area, orchestrating domain rules, the store and adapters."""
