"""JSON Schemas (OpenAPI 3.1 / draft 2020-12 subset that fastjsonschema also reads)."""
