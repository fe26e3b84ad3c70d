"""Review of a run's outputs: a reviewer corrects what letopis found, and nothing is lost.

- ``store``: the SQLite store beside the outputs (append-only decisions log, current state);
- ``model``: what a reviewer may do, checked against the run, turned into store changes;
- ``overlay``: the run's tables with the review applied (``review_status`` column);
- ``web``/``render``/``static``: the local review web app;
- ``formats``: exports (csv, parquet, Label Studio, BRAT, doccano, gold) and imports;
- ``agreement``: span F1 between two reviewers' stores.
"""
