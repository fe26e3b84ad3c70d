"""Imported once by the forkserver that starts batch workers (``engines.ProcessPool``,
the Dask LocalCluster): the models load here, and the modules a worker runs
(``batch``, with pyarrow) are imported here, so every worker forks with them in
memory — shared copy-on-write between workers — instead of loading them again.
(Workers never build tables: pandas stays out of them.)"""
from . import batch, morph, nlp  # noqa: F401  (batch: what workers unpickle their work from)

nlp.load()
nlp.natasha_models()
morph.analyzer()
