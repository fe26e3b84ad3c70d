"""Imported once by the forkserver that starts batch workers (``engines.ProcessPool``):
the models load here, so every worker forks with them already in memory — shared
copy-on-write between workers — instead of each loading them again."""
from . import morph, nlp

nlp.load()
nlp.natasha_models()
morph.analyzer()
