"""eBOK application package (the Lambda bundle's code)."""
