"""Rendering: invoice PDF, CSV, e-mail texts (Polish first, English second)."""
