"""relcore past one machine: the C core on the workers of a Dask cluster.

Each partition of the input is analysed by the C core on a worker into a
:class:`relcore.Corpus`; the partial corpora travel back as compact bytes
(the analysis, not the text) and are joined in partition order by a tree
reduction; every table and its measures are then computed once, on the
joined corpus.  The result equals the single-machine one exactly: the same
documents in the same order give the same bytes.

    from dask.distributed import Client
    import relcore.dask

    client = Client("tcp://scheduler:8786")          # or Client() for a local one
    corpus = relcore.dask.corpus(paths, npartitions=64)
    corpus.cooccurrence(context="window:10", sort="npmi")

The input is a list of paths (files or folders; CSV files are partitions
of their own, so a big CSV split into several files spreads over the
workers), or a dask.bag.Bag of paths or of records (dicts with ``text``,
``id``, optionally ``date``, other keys becoming metadata).  Every worker needs
relcore installed, and the paths (and any ``gazetteer`` files) must be
readable where the workers run.  Dask is imported only here.
"""
from __future__ import annotations

import os
from typing import Any, Sequence

from . import Corpus, PathLike

__all__ = ["corpus"]

_RECORD_KEYS = ("text", "id", "date")


def _paths_part(paths: Sequence[Any], options: dict[str, Any]) -> Corpus:
    paths = [os.fspath(p) for p in paths]
    return Corpus(paths, threads=1, **options) if paths else Corpus(threads=1, **options)


def _records_part(records: Sequence[dict[str, Any]], options: dict[str, Any]) -> Corpus:
    records = list(records)
    ids = [str(r["id"]) if r.get("id") is not None else None for r in records]
    if any(i is None for i in ids):
        raise ValueError("every record needs an 'id' (documents are told apart by it)")
    return Corpus.from_texts(
        [r["text"] for r in records], ids,
        dates=[r.get("date") for r in records],
        metadata=[{k: str(v) for k, v in r.items() if k not in _RECORD_KEYS and v is not None}
              for r in records],
        **options)


def _join(parts: Sequence[Corpus]) -> Corpus:
    parts = list(parts)
    whole = parts[0]
    for part in parts[1:]:
        whole.extend(part)
    return whole


def _analyse(items: list[Any], options: dict[str, Any]) -> Corpus:
    items = list(items)
    if items and isinstance(items[0], dict):
        return _records_part(items, options)
    return _paths_part(items, options)


def _partitions(data: Any, npartitions: int | None, options: dict[str, Any]) -> list[Any]:
    """One delayed Corpus per partition of the input, in order."""
    import dask
    import dask.bag as db

    if isinstance(data, db.Bag):
        return [dask.delayed(_analyse)(p, options) for p in data.to_delayed()]
    if isinstance(data, (str, os.PathLike)):
        data = [data]
    items = list(data)
    n = max(1, min(npartitions or len(items), len(items), 256))
    size = -(-len(items) // n) if items else 0
    return [dask.delayed(_analyse)(items[i:i + size], options)
            for i in range(0, len(items), size)] if items else []


def corpus(data: Any, *, npartitions: int | None = None, split_every: int = 8,
           gazetteer: PathLike | Sequence[PathLike] | None = None,
           builtin: bool = True, terms: bool = False) -> Corpus:
    """Analyse ``data`` on the Dask cluster in use (the default
    dask.distributed client, else Dask's local scheduler) and return the
    joined Corpus.

    ``npartitions`` splits a list of paths (default: one partition per
    path, at most 256); ``split_every`` is the fan-in of the tree
    reduction.  ``gazetteer``, ``builtin`` and ``terms`` are those of
    :class:`relcore.Corpus`.
    """
    import dask

    if split_every < 2:
        raise ValueError("split_every must be at least 2")
    options = {"gazetteer": gazetteer, "builtin": builtin, "terms": terms}
    parts = _partitions(data, npartitions, options)
    if not parts:
        return Corpus(**options)
    while len(parts) > 1:  # the tree reduction, partition order kept
        parts = [dask.delayed(_join)(parts[i:i + split_every])
                 for i in range(0, len(parts), split_every)]
    return parts[0].compute()
