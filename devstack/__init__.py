"""The local stack: moto as embedded AWS, resources from infra/, demo data, chalice local.

Not part of the Lambda bundle.
"""
