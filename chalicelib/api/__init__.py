"""HTTP layer: one Blueprint per area; parse, validate, call one service, shape the answer."""
