"""relcore past one machine: the C core on the workers of a Dask cluster.

:func:`persist` analyses each partition of the input on a worker into a
:class:`relcore.Corpus` and keeps it there.  Only the corpus-wide tallies
(the entities, their mentions and countries, the terms) come back, summed
by a tree reduction; they decide the keys every partition counts with.  A
table is then counted on the workers, each partition's counts summed by a
tree reduction, and made once, measures included, from the sum: the
documents never leave the workers, and the result equals the
single-machine one exactly.

    from dask.distributed import Client
    import relcore.dask

    client = Client("tcp://scheduler:8786")          # or Client() for a local one
    corpus = relcore.dask.persist(paths, npartitions=64)
    corpus.cooccurrence(context="window:10", sort="npmi")
    corpus.entities(level="country")

:func:`corpus` instead brings the partitions' analyses (compact bytes, not
the text) to this machine, joined in order by a tree reduction.

The input is a list of paths (files or folders; CSV files are partitions
of their own, so a big CSV split into several files spreads over the
workers), or a dask.bag.Bag of paths or of records (dicts with ``text``,
``id``, optionally ``date``, other keys becoming metadata).  Every worker needs
relcore installed, and the paths (and any ``gazetteer`` files) must be
readable where the workers run.  Dask is imported only here.
"""
from __future__ import annotations

import ast
import functools
import os
from typing import Any, Sequence

from . import Corpus, PathLike, _core

__all__ = ["DaskCorpus", "corpus", "persist"]

_RECORD_KEYS = ("text", "id", "date")


def _files_part(files: Sequence[tuple[str, str]], options: dict[str, Any]) -> Corpus:
    """A partition of files, each with the id it has in the whole list
    (its path relative to the whole list's roots, SPEC §3)."""
    part = Corpus(threads=1, **options)
    if files:
        part._core.add_paths([f for f, _ in files], ids=[i for _, i in files])
        part._warn()
    return part


def _records_part(records: Sequence[dict[str, Any]], options: dict[str, Any]) -> Corpus:
    """A partition of records, on one thread as every partition is (Dask
    runs the partitions in parallel)."""
    records = list(records)
    ids = [str(r["id"]) if r.get("id") is not None else None for r in records]
    if any(i is None for i in ids):
        raise ValueError("every record needs an 'id' (documents are told apart by it)")
    return Corpus.from_texts(
        [r["text"] for r in records], ids,
        dates=[r.get("date") for r in records],
        metadata=[{k: str(v) for k, v in r.items() if k not in _RECORD_KEYS and v is not None}
              for r in records],
        threads=1, **options)


def _join(parts: Sequence[Corpus]) -> Corpus:
    """The parts joined in order, into the first (which must be a part
    of no other use: a persisted one is left alone by _join_fresh)."""
    parts = list(parts)
    whole = parts[0]
    for part in parts[1:]:
        whole.extend(part)
    return whole


def _join_fresh(parts: Sequence[Corpus], options: dict[str, Any]) -> Corpus:
    whole = Corpus(**options)
    for part in parts:
        whole.extend(part)
    return whole


def _analyse(items: list[Any], options: dict[str, Any]) -> Corpus:
    items = list(items)
    if items and isinstance(items[0], dict):
        return _records_part(items, options)
    return _files_part(items, options)


def _partitions(data: Any, npartitions: int | None, options: dict[str, Any]) -> list[Any]:
    """One delayed Corpus per partition of the input, in order."""
    import dask
    import dask.bag as db

    if isinstance(data, db.Bag):
        first = data.take(1, npartitions=-1, warn=False)
        if first and isinstance(first[0], dict):
            return [dask.delayed(_analyse)(p, options) for p in data.to_delayed()]
        npartitions = npartitions or data.npartitions
        data = data.compute()  # paths: listed here, so that ids are the whole list's
    if isinstance(data, (str, os.PathLike)):
        data = [data]
    files, ids = _core.list_files([os.fspath(p) for p in data])  # folders walked here
    items = list(zip(files, ids))
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

    ``npartitions`` splits the files of a list of paths, its folders
    walked here (default: one partition per file, at most 256; a bag of
    paths: its partitions' number); every document keeps the id it has
    when the whole list is read on one machine.  ``split_every`` is the
    fan-in of the tree reduction.  ``gazetteer``, ``builtin`` and
    ``terms`` are those of :class:`relcore.Corpus`.
    """
    if split_every < 2:
        raise ValueError("split_every must be at least 2")
    options = {"gazetteer": gazetteer, "builtin": builtin, "terms": terms}
    parts = _partitions(data, npartitions, options)
    if not parts:
        return Corpus(**options)
    return _tree(parts, _join, split_every).compute()


def _tallies(parts: Sequence[Any], options: dict[str, Any]) -> tuple[bytes, int]:
    """The summed tallies of parts (Corpus objects, or earlier sums), in
    order, and their documents."""
    whole, ndocs = Corpus(**options), 0
    for part in parts:
        if isinstance(part, Corpus):
            whole._core.unpack_tallies(part._core.pack_tallies())
            ndocs += len(part)
        else:
            whole._core.unpack_tallies(part[0])
            ndocs += part[1]
    return whole._core.pack_tallies(), ndocs


@functools.lru_cache(maxsize=2)
def _whole_of(tallies: bytes, config: str) -> Corpus:
    """The corpus of the whole's tallies, made once a worker process for
    every partition and query it serves (config: repr of the options)."""
    whole = Corpus(**ast.literal_eval(config))
    whole._core.unpack_tallies(tallies)
    return whole


def _part_counts(part: Corpus, tallies: bytes, config: str, what: str,
                 query: dict[str, Any]) -> bytes:
    return part._core.part_counts(_whole_of(tallies, config)._core, what, **query)


def _part_rows(part: Corpus, tallies: bytes, config: str, name: str,
               query: dict[str, Any]) -> dict[str, Any]:
    """A part's kwic or mention rows, names folded as in the whole."""
    return getattr(part._core, "part_" + name)(_whole_of(tallies, config)._core, **query)


def _part_table(part: Corpus, name: str) -> dict[str, Any]:
    return getattr(part._core, name)()


def _concat(tables: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Tables of the same columns, one after the other."""
    out = {name: col[:0] for name, col in tables[0].items()}
    for t in tables:
        for name, col in t.items():
            out[name].extend(col)
    return out


def _tree(items: list[Any], fn: Any, split_every: int, *args: Any) -> Any:
    """A tree reduction of delayed items by fn (order kept)."""
    import dask

    while len(items) > 1:
        items = [dask.delayed(fn)(items[i:i + split_every], *args)
                 for i in range(0, len(items), split_every)]
    return items[0]


class _PartsCore:
    """What a :class:`Corpus` asks of its core, answered by partitions kept
    on the cluster: ``count``, ``cooccur`` and ``timeline`` from the
    partitions' summed counts (made into a table on ``whole``, the
    partitions' tallies); ``kwic``, ``mentions``, ``documents`` and
    ``metadata`` as the partitions' rows in order; the rest needs the
    documents here."""

    def __init__(self, parts: list[Any], whole: Corpus, tallies: bytes, ndocs: int,
                 options: dict[str, Any], split_every: int) -> None:
        import dask

        self._parts, self._whole = parts, whole
        self._ndocs, self._options, self._split_every = ndocs, options, split_every
        # one key: a worker fetches the tallies once, not once a partition
        self._tallies = dask.delayed(tallies, pure=True)
        self._config = repr({k: list(map(os.fspath, v)) if isinstance(v, (list, tuple)) else
                             os.fspath(v) if isinstance(v, os.PathLike) else v
                             for k, v in options.items()})

    def __len__(self) -> int:
        return self._ndocs

    def _table(self, what: str, query: dict[str, Any]) -> dict[str, Any]:
        import dask

        if not self._parts:  # no documents: the empty corpus's table
            return getattr(self._whole._core, what)(**query)
        counts = [dask.delayed(_part_counts)(p, self._tallies, self._config, what, query)
                  for p in self._parts]
        summed = _tree(counts, _core.part_counts_sum, self._split_every).compute()
        return self._whole._core.part_table(what, summed, **query)

    def _rows(self, name: str, query: dict[str, Any]) -> dict[str, Any]:
        """The partitions' rows of table `name`, in order."""
        import dask

        if not self._parts:  # no documents: the empty corpus's table
            return getattr(self._whole._core, name)(**query)
        tasks = [dask.delayed(_part_rows)(p, self._tallies, self._config, name, query)
                 if name in ("kwic", "mentions") else dask.delayed(_part_table)(p, name)
                 for p in self._parts]
        return _concat(dask.compute(*tasks))

    def kwic(self, **query: Any) -> dict[str, Any]:
        return self._rows("kwic", query)

    def mentions(self) -> dict[str, Any]:
        return self._rows("mentions", {})

    def documents(self) -> dict[str, Any]:
        return self._rows("documents", {})

    def metadata(self) -> dict[str, Any]:
        return self._rows("metadata", {})

    def count(self, **query: Any) -> dict[str, Any]:
        return self._table("count", query)

    def cooccur(self, **query: Any) -> dict[str, Any]:
        return self._table("cooccur", query)

    def timeline(self, **query: Any) -> dict[str, Any]:
        return self._table("timeline", query)

    def __getattr__(self, name: str) -> Any:
        raise NotImplementedError(
            f"{name} needs the documents, which stay on the workers: DaskCorpus.join() "
            "brings them to this machine (or use relcore.dask.corpus)")


class DaskCorpus(Corpus):
    """A corpus analysed on a Dask cluster and kept there, one
    :class:`relcore.Corpus` a partition (:func:`persist`).
    :meth:`entities`, :meth:`cooccurrence`, :meth:`matrix`,
    :meth:`graph` and :meth:`timeline` are counted on the workers and
    summed; :meth:`kwic`, :meth:`mentions` and :meth:`documents` are the
    partitions' rows in order, names folded as in the whole corpus.
    :meth:`join` brings the whole analysis to this machine."""

    def __init__(self, parts: list[Any], whole: Corpus, tallies: bytes, ndocs: int,
                 options: dict[str, Any], split_every: int) -> None:
        self._config = whole._config
        self._core = _PartsCore(parts, whole, tallies, ndocs, options, split_every)
        self._summary = None

    def __repr__(self) -> str:
        return (f"<relcore.dask.DaskCorpus: {len(self):,} documents in "
                f"{len(self._core._parts)} partitions>")

    def _repr_html_(self) -> str:
        return repr(self).replace("<", "&lt;").replace(">", "&gt;")

    def join(self) -> Corpus:
        """The partitions' analyses brought to this machine and joined in
        order (as :func:`corpus` makes it)."""
        import dask

        core, k = self._core, self._core._split_every
        if not core._parts:
            return Corpus(**core._options)
        fresh = [dask.delayed(_join_fresh)(core._parts[i:i + k], core._options)
                 for i in range(0, len(core._parts), k)]
        return _tree(fresh, _join, k).compute()


def persist(data: Any, *, npartitions: int | None = None, split_every: int = 8,
            gazetteer: PathLike | Sequence[PathLike] | None = None,
            builtin: bool = True, terms: bool = False) -> DaskCorpus:
    """Analyse ``data`` on the Dask cluster in use (the default
    dask.distributed client, else Dask's local scheduler), keep each
    partition's analysis on the workers and return a :class:`DaskCorpus`
    over them.  ``npartitions`` and ``split_every`` (the fan-in of the tree
    reductions) are those of :func:`corpus`; ``gazetteer``, ``builtin``
    and ``terms`` those of :class:`relcore.Corpus`.
    """
    import dask

    if split_every < 2:
        raise ValueError("split_every must be at least 2")
    options = {"gazetteer": gazetteer, "builtin": builtin, "terms": terms}
    parts = list(dask.persist(*_partitions(data, npartitions, options)))
    whole = Corpus(**options)
    if not parts:
        return DaskCorpus([], whole, whole._core.pack_tallies(), 0, options, split_every)
    sums = [dask.delayed(_tallies)(parts[i:i + split_every], options)
            for i in range(0, len(parts), split_every)]
    tallies, ndocs = _tree(sums, _tallies, split_every, options).compute()
    whole._core.unpack_tallies(tallies)
    return DaskCorpus(parts, whole, tallies, ndocs, options, split_every)
