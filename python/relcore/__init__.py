"""relcore: entities and their relations in news text.

A C core tokenizes, recognizes entities, counts and builds co-occurrence
tables; this package is a thin layer over it (``relcore._core``).  Results
are pandas DataFrames when pandas is installed, else dicts of column lists.

>>> import relcore
>>> [t.text for t in relcore.tokenize("Pakistan’s envoy met U.S. officials.")]
['Pakistan', '’s', 'envoy', 'met', 'U.S.', 'officials', '.']
>>> [(m.text, m.entity, m.type) for m in relcore.extract("Iranians welcomed the Iran-Pakistan deal.")]
[('Iranians', 'Iran', 'NORP'), ('Iran', 'Iran', 'GPE'), ('Pakistan', 'Pakistan', 'GPE')]
"""
from __future__ import annotations

import os
import warnings
from typing import Any, Iterable, NamedTuple, Sequence, Union

from . import _core
from ._core import Error

__all__ = [
    "Corpus", "Error", "Mention", "Sentence", "Token", "extract", "gazetteer",
    "sentences", "tokenize", "__version__",
]
__version__: str = _core.__version__

PathLike = Union[str, "os.PathLike[str]"]


class Token(NamedTuple):
    """A token: its text, character offsets and kind."""
    text: str
    start: int
    end: int
    kind: str
    sentence: int


class Sentence(NamedTuple):
    """A sentence: its text and character offsets."""
    text: str
    start: int
    end: int
    paragraph: int


class Mention(NamedTuple):
    """An entity mention: surface text, character offsets, the entity it
    names, the mention's type, the entity's country and the rule that
    found it."""
    text: str
    start: int
    end: int
    entity: str
    type: str
    country: str
    rule: str


def _gazetteer_files(gazetteer: PathLike | Sequence[PathLike] | None) -> list[str] | None:
    if gazetteer is None:
        return None
    if isinstance(gazetteer, (str, os.PathLike)):
        gazetteer = [gazetteer]
    return [os.fspath(p) for p in gazetteer]


def tokenize(text: str, *, gazetteer: PathLike | Sequence[PathLike] | None = None,
             builtin: bool = True) -> list[Token]:
    """Tokens of ``text`` with character offsets (``text[t.start:t.end] == t.text``)."""
    cols = _core.tokenize(text, _gazetteer_files(gazetteer), builtin)
    return [Token(*row) for row in zip(cols["text"], cols["start"], cols["end"],
                                       cols["kind"], cols["sentence"])]


def sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with character offsets.

    >>> [s.text for s in sentences("Talks with the U.S. ended. Dr. Ali left.")]
    ['Talks with the U.S. ended.', 'Dr. Ali left.']
    """
    cols = _core.sentences(text)
    return [Sentence(*row) for row in zip(cols["text"], cols["start"], cols["end"],
                                          cols["paragraph"])]


def extract(text: str, *, gazetteer: PathLike | Sequence[PathLike] | None = None,
            builtin: bool = True, ner: str = "model") -> list[Mention]:
    """Entity mentions in ``text`` (character offsets).  ``ner="model"``
    (default) finds unlisted names with the learned tagger, ``"rules"`` with
    the rule recognizer only."""
    cols = _core.extract(text, _gazetteer_files(gazetteer), builtin, ner)
    return [Mention(*row) for row in zip(cols["text"], cols["start"], cols["end"],
                                         cols["entity"], cols["type"], cols["country"],
                                         cols["rule"])]


def gazetteer(gazetteer: PathLike | Sequence[PathLike] | None = None, *,
              builtin: bool = True) -> Any:
    """The effective gazetteer: alias, canonical, type, country."""
    return _frame(_core.gazetteer(_gazetteer_files(gazetteer), builtin))


def _frame(columns: dict[str, list[Any]]) -> Any:
    """A DataFrame of the core's columns when pandas is installed."""
    try:
        import pandas as pd
    except ImportError:
        return columns
    return pd.DataFrame(columns)


class Corpus:
    """A corpus analysed once by the C core; every table is computed from
    that analysis without reading the text again.  ``ner="model"`` (the
    default) finds names no gazetteer knows with the learned tagger,
    ``ner="rules"`` with the rule recognizer alone.

    >>> c = Corpus.from_texts(["Iran and Pakistan signed a deal.",
    ...                        "Pakistan thanked Iran. Saudi Arabia said nothing."])
    >>> len(c)
    2
    >>> c.cooccurrence()[["source", "target", "count"]].values.tolist()
    [['Iran', 'Pakistan', 2]]
    """

    def __init__(self, paths: PathLike | Sequence[PathLike] | None = None, *,
                 gazetteer: PathLike | Sequence[PathLike] | None = None,
                 builtin: bool = True, text_col: str | None = None,
                 id_col: str | None = None, title_col: str | None = None,
                 date_col: str | None = None, ner: str = "model") -> None:
        self._core = _core.Corpus(_gazetteer_files(gazetteer), builtin, ner)
        if paths is not None:
            if isinstance(paths, (str, os.PathLike)):
                paths = [paths]
            self._core.add_paths([os.fspath(p) for p in paths], text_col, id_col,
                                 title_col, date_col)
            self._warn()

    @classmethod
    def from_texts(cls, texts: Iterable[str], ids: Iterable[str] | None = None, *,
                   dates: Iterable[str | None] | None = None,
                   meta: Iterable[dict[str, str]] | None = None,
                   gazetteer: PathLike | Sequence[PathLike] | None = None,
                   builtin: bool = True, ner: str = "model") -> "Corpus":
        """A corpus of in-memory texts (ids default to ``0``, ``1``, ...)."""
        corpus = cls(gazetteer=gazetteer, builtin=builtin, ner=ner)
        texts = list(texts)
        ids = [str(i) for i in range(len(texts))] if ids is None else [str(i) for i in ids]
        dates = [None] * len(texts) if dates is None else list(dates)
        metas = [None] * len(texts) if meta is None else list(meta)
        if not (len(ids) == len(dates) == len(metas) == len(texts)):
            raise ValueError("texts, ids, dates and meta must have the same length")
        for text, doc_id, date, m in zip(texts, ids, dates, metas):
            corpus._core.add_text(text, doc_id, date, m)
        return corpus

    def __len__(self) -> int:
        return len(self._core)

    def __repr__(self) -> str:
        return f"<relcore.Corpus: {len(self)} documents>"

    def _warn(self) -> None:
        for message in self._core.take_warnings():
            warnings.warn(message, RuntimeWarning, stacklevel=3)

    def entities(self, *, level: str = "entity", types: str | Sequence[str] | None = None,
                 min_count: int | None = None, top: int | None = None,
                 entity: str | Sequence[str] | None = None, since: str | None = None,
                 until: str | None = None, by: str | None = None,
                 by_meta: str | None = None) -> Any:
        """Mentions and documents per entity: entity, type, country, mentions,
        documents.  ``since``/``until`` keep documents dated within them;
        ``by`` (day, week, month, year) or ``by_meta`` (a metadata column)
        count each group, the group first."""
        return _frame(self._core.count(level=level, types=_types(types), min_count=min_count,
                                       top=top, entity=entity, since=since, until=until,
                                       by=by, by_meta=by_meta))

    def matrix(self, **options: Any) -> tuple[Any, list[str]]:
        """The co-occurrence matrix as a symmetric ``scipy.sparse.csr_matrix``
        (directed: source rows, target columns) and its labels, the entity
        names in order.  Takes the options of :meth:`cooccurrence`.

        >>> m, labels = Corpus.from_texts(["Iran met Oman and Qatar."]).matrix()
        >>> labels, m.toarray().tolist()
        (['Iran', 'Oman', 'Qatar'], [[0, 1, 1], [1, 0, 1], [1, 1, 0]])
        """
        import numpy as np
        from scipy import sparse

        cols = self._core.cooccur(**_query_options(options))
        labels = sorted(set(cols["source"]) | set(cols["target"]))
        index = {name: i for i, name in enumerate(labels)}
        rows = [index[name] for name in cols["source"]]
        targets = [index[name] for name in cols["target"]]
        values = np.asarray(cols["count"])
        if not options.get("directed"):
            rows, targets = rows + targets, targets + rows
            values = np.concatenate([values, values])
        m = sparse.csr_matrix((values, (rows, targets)), shape=(len(labels), len(labels)))
        return m, labels

    def graph(self, **options: Any) -> Any:
        """The co-occurrence network as a ``networkx`` graph (a DiGraph when
        ``directed=True``): nodes carry type, country and mentions, edges the
        count and the measures.  Takes the options of :meth:`cooccurrence`."""
        import networkx as nx

        opts = _query_options(options)
        edges = self._core.cooccur(**opts)
        nodes = self._core.count(level=opts.get("level", "entity"))
        g = nx.DiGraph() if options.get("directed") else nx.Graph()
        names = set(edges["source"]) | set(edges["target"])
        for name, typ, country, mentions in zip(nodes["entity"], nodes["type"],
                                                nodes["country"], nodes["mentions"]):
            if name in names:
                g.add_node(name, type=typ, country=country, mentions=mentions)
        keys = [k for k in edges if k not in ("source", "target", "source_type", "target_type")]
        for i, (a, b) in enumerate(zip(edges["source"], edges["target"])):
            g.add_edge(a, b, **{k: edges[k][i] for k in keys})
        return g

    def kwic(self, entity: str, other: str | None = None, *, level: str = "entity") -> Any:
        """The evidence: every sentence naming ``entity`` (and ``other``), with
        doc, sentence, start, end, source, target, text and the offsets of
        each mention (character offsets into the document).

        >>> c = Corpus.from_texts(["Iran met Oman. Iran left.", "Oman and Iran spoke."])
        >>> c.kwic("Iran", "Oman")["text"].tolist()
        ['Iran met Oman.', 'Oman and Iran spoke.']
        """
        names = [entity] if other is None else [entity, other]
        return _frame(self._core.kwic(entity=names, level=level))

    def timeline(self, by: str = "month", *, entity: str | Sequence[str] | None = None,
                 level: str = "entity", context: str = "sentence") -> Any:
        """Counts over time.  With no or one ``entity``: period, entity,
        mentions, documents, share (of the period's documents); with two:
        period, source, target, count (contexts holding both).  Documents
        without a date, or dated more coarsely than ``by``, are in the period
        ``undated``.

        >>> c = Corpus.from_texts(["Iran spoke.", "Iran and Oman met."],
        ...                       dates=["2025-01-05", "2025-02-01"])
        >>> c.timeline("month", entity="Iran")[["period", "mentions"]].values.tolist()
        [['2025-01', 1], ['2025-02', 1]]
        """
        return _frame(self._core.timeline(by=by, entity=entity, level=level,
                                          context=context))

    def mentions(self) -> Any:
        """One row a mention: doc, sentence, start, end, text, entity, type, country, rule."""
        return _frame(self._core.mentions())

    def cooccurrence(self, *, context: str = "sentence", count: str = "boolean",
                     directed: bool = False, level: str = "entity",
                     sort: str = "count", types: str | Sequence[str] | None = None,
                     min_count: int | None = None, top: int | None = None,
                     entity: str | Sequence[str] | None = None, since: str | None = None,
                     until: str | None = None, source_col: str | None = None) -> Any:
        """Entity pairs mentioned in the same context, with counts and the
        measures pmi, npmi, llr, dice and jaccard.

        ``context`` is ``sentence``, ``paragraph``, ``document`` or
        ``window:N``; ``count`` is ``boolean`` (contexts holding both; for
        windows, documents), ``frequency`` (pairs of mentions) or
        ``weighted`` (windows: each pair adds 1/distance).  ``source_col``
        gives directed edges from a document's metadata value to each entity
        it mentions, counted per document."""
        return _frame(self._core.cooccur(context=context, count=count,
                                         directed=str(bool(directed)).lower(),
                                         level=level, sort=sort, types=_types(types),
                                         min_count=min_count, top=top, entity=entity,
                                         since=since, until=until, source_col=source_col))


def _query_options(options: dict[str, Any]) -> dict[str, Any]:
    """Keyword options as the core takes them (types joined, flags spelled)."""
    opts = dict(options)
    if "types" in opts:
        opts["types"] = _types(opts["types"])
    if "directed" in opts:
        opts["directed"] = str(bool(opts["directed"])).lower()
    return opts


def _types(types: str | Sequence[str] | None) -> str | None:
    if types is None or isinstance(types, str):
        return types
    return ",".join(types)
