"""eBOK application package (the Lambda bundle's code).

Every Lambda handler (``app.app``, the authorizer, each job in ``chalicelib.jobs``) imports
this package before anything else, so the cyclic garbage collector is tuned here, ahead of
the cold start's imports. With CPython's default first threshold (700), importing the
handler's ~100 modules and their libraries (botocore, PynamoDB, Chalice, Powertools, PyJWT)
runs a young collection every few hundred new objects, and the older generations, which
hold every class, function and table the imports made, are walked again and again as they
grow. A first threshold of 50 000 keeps those walks out of the cold start: on the
overview's cold start it took 30-40 ms of 340-380 ms (``make bench``, coldstart; see
docs/operations.md, "Cold starts"). Reference counting still frees everything that is not
in a cycle at once; cycles wait for a collection 70 times rarer, a bounded amount of memory
in a process that serves one request at a time.
"""

import gc

GC_THRESHOLDS = (50_000, 10, 10)

gc.set_threshold(*GC_THRESHOLDS)
