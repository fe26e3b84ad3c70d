"""letopis: information extraction for Russian historical prose.

>>> import pipeline
>>> tables = pipeline.extract("В 1922 г. в Рапалло был подписан договор.")
>>> tables["dates"][["text", "value_start", "value_end"]]
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence, Union

if TYPE_CHECKING:
    import pandas as pd

__version__ = "0.1.0"

Input = Union[str, os.PathLike]


def extract(inputs: Input | Sequence[Input] | Mapping[str, str]) -> dict[str, "pd.DataFrame"]:
    """The SPEC tables as DataFrames for a text (``str``), a file or folder
    (``pathlib.Path``), a list of them, or a mapping of doc id → text.
    Strings are always text, never paths."""
    from .batch import process, to_tables, walk
    from .document import Extractor

    extractor = Extractor()
    if isinstance(inputs, Mapping):
        return to_tables(extractor.text(text, doc_id) for doc_id, text in inputs.items())
    items = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    texts = [x for x in items if isinstance(x, str)]
    paths = [Path(x) for x in items if not isinstance(x, str)]
    results = [extractor.text(t, f"text{k}" if len(texts) > 1 else "text") for k, t in enumerate(texts, 1)]
    results += list(process(walk(paths), extractor))
    return to_tables(results)
