"""eBOK application package (the Lambda bundle's code).

Every Lambda handler (``app.app``, the authorizer, each job in ``chalicelib.jobs``) imports
this package before anything else, so the cyclic garbage collector is tuned here, ahead of
the cold start's imports. With CPython's default first threshold (700), importing the
handler's ~100 modules and their libraries (botocore, PynamoDB, Chalice, Powertools, cryptography)
runs a young collection every few hundred new objects, and the older generations, which
hold every class, function and table the imports made, are walked again and again as they
grow. A first threshold of 120 000 keeps those walks out of the cold start: a cold overview
(authorizer and API in one process) creates ~90 000 container objects and now runs no
collection before its answer (at 50 000 it ran one, 8-15 ms; at 700, ~150 young and several
older ones, 30-40 ms of 340-380 ms); a cold invoicing worker (~160 000) runs one. See
docs/operations.md, "Cold starts". Reference counting still frees everything that is not
in a cycle at once; cycles wait for a collection ~170 times rarer, a bounded amount of
memory in a process that serves one request at a time. The first collection of a warm
container walks the init objects once and promotes them; later ones walk new objects only.
"""

import gc

GC_THRESHOLDS = (120_000, 10, 10)

gc.set_threshold(*GC_THRESHOLDS)
