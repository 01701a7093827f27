"""relcore: entities and their relations in news text.

A C core tokenizes, recognizes entities, counts and builds co-occurrence
tables; this package is a thin layer over it (``relcore._core``).  Tables
come back as pandas DataFrames when pandas is installed, else as dicts of
columns (lists of str, ``array.array`` of numbers).  Offsets are character
offsets into the Python string, so ``text[start:end]`` is the mention.

>>> import relcore
>>> [t.text for t in relcore.tokenize("Pakistan’s envoy met U.S. officials.")]
['Pakistan', '’s', 'envoy', 'met', 'U.S.', 'officials', '.']
>>> text = "Iranians welcomed the Iran-Pakistan deal."
>>> [(m.text, m.entity, m.type) for m in relcore.extract(text)]
[('Iranians', 'Iran', 'NORP'), ('Iran', 'Iran', 'GPE'), ('Pakistan', 'Pakistan', 'GPE')]
>>> m = relcore.extract(text)[2]
>>> text[m.start:m.end]
'Pakistan'

A corpus is analysed once; every table is computed from that analysis:

>>> c = relcore.Corpus.from_texts(["Iran and Pakistan signed a deal.",
...                                "Pakistan thanked Iran. Oman said nothing."])
>>> c.entities()[["entity", "mentions", "documents"]].values.tolist()
[['Iran', 2, 2], ['Pakistan', 2, 2], ['Oman', 1, 1]]

Errors are Python exceptions, all subclasses of :class:`relcore.Error`: an
:class:`OptionError` (a ``ValueError``) for a bad option, value or unknown
entity, a :class:`PathError` (a ``FileNotFoundError``) for a missing path.

>>> c.cooccurrence(context="galaxy")
Traceback (most recent call last):
  ...
relcore._core.OptionError: invalid value 'galaxy' for context (expected sentence, paragraph, document or window:N with N from 1 to 1000)
"""
from __future__ import annotations

import datetime
import html
import os
import warnings
from array import array
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence, Union

from . import _core
from ._core import Error, OptionError, PathError

__all__ = [
    "Corpus", "Document", "Error", "Mention", "OptionError", "PathError", "Sentence",
    "Token", "extract", "gazetteer", "open", "sentences", "tokenize", "__version__",
]
__version__: str = _core.__version__

PathLike = Union[str, "os.PathLike[str]"]
Paths = Union[PathLike, Sequence[PathLike]]
#: ``progress=``: None shows a tqdm bar (when tqdm is installed) once a call
#: has run for half a second; True always, False never; a callable is
#: called as ``progress(documents, bytes)`` instead.
Progress = Union[bool, None, Callable[[int, int], Any]]
#: A table: a pandas DataFrame, or without pandas a dict of columns.
Table = Any


class Token(NamedTuple):
    """A token: its text, character offsets, kind and sentence number."""
    text: str
    start: int
    end: int
    kind: str
    sentence: int


class Sentence(NamedTuple):
    """A sentence: its text, character offsets and paragraph number."""
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


class Document(NamedTuple):
    """A document of a corpus as analysed: its id, date (``""`` when it has
    none), dateline, the sizes of its analysis and its metadata (CSV
    columns, or what ``from_texts`` was given).  The text itself is not
    kept by a corpus."""
    id: str
    date: str
    dateline: str
    sentences: int
    paragraphs: int
    tokens: int
    mentions: int
    metadata: dict[str, str]


def _paths(paths: Paths | None) -> list[str]:
    if paths is None:
        return []
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    return [os.fspath(p) for p in paths]


def _gazetteer_files(gazetteer: Paths | None) -> list[str] | None:
    return None if gazetteer is None else _paths(gazetteer)


def tokenize(text: str, *, gazetteer: Paths | None = None,
             builtin: bool = True) -> list[Token]:
    """Tokens of ``text`` with character offsets (``text[t.start:t.end] == t.text``).

    >>> [(t.text, t.kind) for t in tokenize("1,200 envoys met @un #UNGA")]
    [('1,200', 'number'), ('envoys', 'word'), ('met', 'word'), ('@un', 'handle'), ('#UNGA', 'hashtag')]
    """
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


def extract(text: str, *, gazetteer: Paths | None = None,
            builtin: bool = True, ner: str = "model") -> list[Mention]:
    """Entity mentions in ``text`` (character offsets).  ``ner="model"``
    (default) finds unlisted names with the learned tagger, ``"rules"`` with
    the rule recognizer only.

    >>> [(m.entity, m.type, m.country) for m in extract("Tehran welcomed the ECO envoy.")]
    [('Tehran', 'GPE', 'IRN'), ('Economic Cooperation Organization', 'ORG', '')]
    """
    cols = _core.extract(text, _gazetteer_files(gazetteer), builtin, ner)
    return [Mention(*row) for row in zip(cols["text"], cols["start"], cols["end"],
                                         cols["entity"], cols["type"], cols["country"],
                                         cols["rule"])]


def gazetteer(gazetteer: Paths | None = None, *, builtin: bool = True) -> Table:
    """The effective gazetteer: alias, canonical, type, country.

    >>> g = gazetteer()
    >>> g[g.alias == "U.S."][["canonical", "type", "country"]].values.tolist()
    [['United States', 'GPE', 'USA']]
    """
    return _frame(_core.gazetteer(_gazetteer_files(gazetteer), builtin))


def _frame(columns: dict[str, Any]) -> Table:
    """A DataFrame of the core's columns when pandas is installed: number
    columns (``array.array``) become numpy arrays without a copy."""
    try:
        import numpy as np
        import pandas as pd
    except ImportError:
        return columns
    data = {name: np.frombuffer(col, dtype=col.typecode) if isinstance(col, array) else col
            for name, col in columns.items()}
    return pd.DataFrame(data, copy=False)


def _progress(progress: Progress, total: int | None, desc: str) -> tuple[Any, Any]:
    """The callback to give the core, and the function that ends it with
    the final number of documents.  With a ``total`` the bar counts bytes
    (folders of articles), without one documents (a CSV file is read at
    once, so its bytes say nothing about progress)."""
    if progress is False:
        return None, lambda documents: None
    if callable(progress) and not isinstance(progress, bool):
        return progress, lambda documents: None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from tqdm.auto import tqdm
    except ImportError:
        return None, lambda documents: None
    bar: list[Any] = []

    def update(documents: int, nbytes: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, unit="B", unit_scale=True, desc=desc)
                       if total else tqdm(unit=" documents", desc=desc))
        b = bar[0]
        if total:
            b.set_postfix(documents=documents, refresh=False)
            b.update(nbytes - b.n)
        else:
            b.update(documents - b.n)

    def close(documents: int) -> None:
        if bar:
            update(documents, total or 0)
            bar[0].close()

    if progress is True:
        update(0, 0)
    return update, close


def _size(paths: list[str]) -> int:
    """Bytes under paths (for a progress bar's total)."""
    total = 0
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, files in os.walk(p):
                total += sum(os.path.getsize(os.path.join(root, f)) for f in files)
        elif os.path.isfile(p):
            total += os.path.getsize(p)
    return total


def _date_text(date: Any) -> str | None:
    """A date as the core parses it: a str as written, a date (or pandas
    Timestamp) as ``YYYY-MM-DD``."""
    if date is None or isinstance(date, str):
        return date
    if isinstance(date, datetime.date) or hasattr(date, "strftime"):
        return str(date.strftime("%Y-%m-%d"))
    raise TypeError(f"a date must be a str or a datetime.date, not {type(date).__name__}")


def _types(types: str | Sequence[str] | None) -> str | None:
    if types is None or isinstance(types, str):
        return types
    return ",".join(types)


def _query_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword options as the core takes them (type lists joined).  Every
    other option goes through as given: the core knows the names."""
    opts = dict(options)
    if "types" in opts:
        opts["types"] = _types(opts["types"])
    return opts


class Corpus:
    """A corpus analysed once by the C core; every table is computed from
    that analysis without reading the text again.  ``ner="model"`` (the
    default) finds names no gazetteer knows with the learned tagger,
    ``ner="rules"`` with the rule recognizer alone.

    ``Corpus(paths)`` reads files and folders (plain-text articles, and CSV
    or TSV files of one document a row, as the command line does);
    :meth:`from_csv` and :meth:`from_texts` are the other constructors.

    >>> c = Corpus.from_texts(["Iran and Pakistan signed a deal.",
    ...                        "Pakistan thanked Iran. Saudi Arabia said nothing."])
    >>> len(c)
    2
    >>> c.cooccurrence()[["source", "target", "count"]].values.tolist()
    [['Iran', 'Pakistan', 2]]
    >>> [d.id for d in c]
    ['0', '1']
    """

    def __init__(self, paths: Paths | None = None, *,
                 gazetteer: Paths | None = None, builtin: bool = True,
                 text_col: str | None = None, id_col: str | None = None,
                 title_col: str | None = None, date_col: str | None = None,
                 include: str | Sequence[str] | None = None,
                 exclude: str | Sequence[str] | None = None,
                 progress: Progress = None, terms: bool = False,
                 threads: int | None = None, strict: bool = False,
                 ner: str = "model") -> None:
        """Analyse the documents under ``paths`` (a path or a list).

        ``text_col``, ``id_col``, ``title_col`` and ``date_col`` name the
        columns of CSV files (defaults ``text``, ``id``, ``title``,
        ``date``); ``include`` and ``exclude`` are glob lists for the files
        of folders; ``gazetteer`` adds user gazetteer files and
        ``builtin=False`` drops the built-in one.  ``terms=True`` keeps
        the words too, for ``cooccurrence(terms=True)``.  The documents are
        analysed on ``threads`` threads (default: one per core; the result
        is the same for any number).  Bad input is repaired or skipped with
        a ``RuntimeWarning`` naming the file (invalid UTF-8, NUL bytes, an
        empty or unreadable file, a CSV row with an unterminated quote);
        with ``strict=True`` the first such problem raises
        :class:`relcore.Error` instead.  Ctrl-C stops a long load with
        ``KeyboardInterrupt``.  ``ner="model"`` (default) finds names no
        list knows with the learned tagger, ``"rules"`` with the rule
        recognizer only."""
        self._config = (_gazetteer_files(gazetteer), builtin, terms, ner)
        self._core = _core.Corpus(*self._config[:3], threads or 0, self._config[3])
        self._summary: tuple[int, dict[str, Any]] | None = None
        if paths is None:
            return
        names = _paths(paths)
        tables = all(n.lower().endswith((".csv", ".tsv")) for n in names)
        total = None if tables or progress is False else _size(names)
        callback, close = _progress(progress, total, "relcore")
        try:
            self._core.add_paths(names, text_col, id_col, title_col, date_col,
                                 include, exclude, callback, strict)
        finally:
            close(len(self._core))
            self._warn()

    @classmethod
    def from_csv(cls, path: PathLike, *, text_col: str = "text", id_col: str = "id",
                 title_col: str = "title", date_col: str = "date",
                 gazetteer: Paths | None = None, builtin: bool = True,
                 progress: Progress = None, terms: bool = False,
                 threads: int | None = None, strict: bool = False,
                 ner: str = "model") -> "Corpus":
        """A corpus of one document a row of a CSV (or TSV) file.  Every
        column besides the text, id, title and date is metadata (for
        ``by_meta=`` and ``source_col=``).

        >>> import pathlib, tempfile
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "speeches.csv"
        >>> _ = f.write_text("id,country,date,text\\nA,IRN,2020,Pakistan is a friend.\\n")
        >>> c = Corpus.from_csv(f)
        >>> c.cooccurrence(source_col="country")[["source", "target"]].values.tolist()
        [['Iran', 'Pakistan']]
        """
        name = os.fspath(path)
        if not name.lower().endswith((".csv", ".tsv")):
            raise OptionError(f"{name}: from_csv reads .csv and .tsv files")
        if not os.path.isfile(name):
            raise PathError(f"{name}: no such file")
        return cls(name, text_col=text_col, id_col=id_col, title_col=title_col,
                   date_col=date_col, gazetteer=gazetteer, builtin=builtin,
                   progress=progress, terms=terms, threads=threads, strict=strict,
                   ner=ner)

    @classmethod
    def from_texts(cls, texts: Iterable[str], ids: Iterable[Any] | None = None, *,
                   titles: Iterable[str | None] | None = None,
                   dates: Iterable[Any] | None = None,
                   metadata: Iterable[Mapping[str, Any] | None] | None = None,
                   gazetteer: Paths | None = None, builtin: bool = True,
                   progress: Progress = None, terms: bool = False,
                   threads: int | None = None, ner: str = "model") -> "Corpus":
        """A corpus of in-memory texts.  ``ids`` default to ``"0"``,
        ``"1"``, ...; ``dates`` are strings the core parses (``2025-10-29``,
        ``October 2025``, ``2025``) or ``datetime.date``; ``metadata`` holds
        one dict a text (values become str); a title is kept as the
        metadata ``title`` (the text alone is analysed, so offsets index
        it).  Each text is analysed as it is, with no article layout, on
        ``threads`` threads (default: one per core; the result is the same
        for any number).  ``terms=True`` keeps the words too.

        >>> c = Corpus.from_texts(["Iran spoke.", "Oman spoke."], ids=["a", "b"],
        ...                       dates=["2025-01-05", None],
        ...                       metadata=[{"outlet": "X"}, {"outlet": "Y"}])
        >>> c.entities(by_meta="outlet")[["outlet", "entity"]].values.tolist()
        [['X', 'Iran'], ['Y', 'Oman']]
        """
        corpus = cls(gazetteer=gazetteer, builtin=builtin, terms=terms, threads=threads,
                     ner=ner)
        texts = list(texts)
        n = len(texts)
        ids = [str(i) for i in range(n)] if ids is None else [str(i) for i in ids]
        title_list = [None] * n if titles is None else list(titles)
        date_list = [None] * n if dates is None else list(dates)
        meta_list = [None] * n if metadata is None else list(metadata)
        for name, values in (("ids", ids), ("titles", title_list), ("dates", date_list),
                             ("metadata", meta_list)):
            if len(values) != n:
                raise OptionError(f"from_texts: {len(values)} {name} for {n} texts")
        metas = []
        for meta_in, title in zip(meta_list, title_list):
            meta = {str(k): str(v) for k, v in (meta_in or {}).items() if v is not None}
            if title is not None:
                meta["title"] = str(title)
            metas.append(meta or None)
        callback, close = _progress(progress, None, "relcore")
        try:
            corpus._core.add_texts(texts, ids, [_date_text(d) for d in date_list], metas,
                                   callback)
        finally:
            close(len(corpus._core))
        corpus._warn()
        return corpus

    def extend(self, other: "Corpus") -> None:
        """Append the documents of another corpus (made with the same
        gazetteer and ``terms``), as if this one had analysed them after its
        own: how the parts of a corpus analysed apart (relcore.dask) join."""
        self._core.unpack(other._core.pack())

    def __getstate__(self) -> dict[str, Any]:
        """Pickling keeps the analysis (bytes from the C core), not the text."""
        return {"config": self._config, "packed": self._core.pack()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._config = state["config"]
        self._core = _core.Corpus(*self._config[:3], 0, self._config[3])
        self._summary = None
        self._core.unpack(state["packed"])

    def _warn(self) -> None:
        for message in self._core.take_warnings():
            warnings.warn(message, RuntimeWarning, stacklevel=3)

    # MARK: - The corpus itself

    def __len__(self) -> int:
        return len(self._core)

    def __iter__(self) -> Iterator[Document]:
        """The documents, in the order read, as :class:`Document` records."""
        cols = self._core.documents()
        meta: list[dict[str, str]] = [{} for _ in cols["doc"]]
        m = self._core.metadata()
        for d, key, value in zip(m["doc"], m["key"], m["value"]):
            meta[d][key] = value
        for row in zip(cols["doc"], cols["date"], cols["dateline"], cols["sentences"],
                       cols["paragraphs"], cols["tokens"], cols["mentions"], meta):
            yield Document(*row)

    def documents(self) -> Table:
        """One row a document: doc, date, dateline, sentences, paragraphs,
        tokens, mentions, then one column a metadata key.

        >>> c = Corpus.from_texts(["Iran spoke.", "Oman and Qatar spoke."],
        ...                       metadata=[{"outlet": "X"}, {"outlet": "Y"}])
        >>> c.documents()[["doc", "mentions", "outlet"]].values.tolist()
        [['0', 1, 'X'], ['1', 2, 'Y']]
        """
        cols = self._core.documents()
        m = self._core.metadata()
        n = len(cols["doc"])
        for d, key, value in zip(m["doc"], m["key"], m["value"]):
            if key not in cols:
                cols[key] = [""] * n
            cols[key][d] = value
        return _frame(cols)

    def _meta_keys(self) -> set[str]:
        return set(self._core.metadata()["key"])

    def _stats(self) -> dict[str, Any]:
        """Figures for repr, computed once per size of the corpus."""
        if self._summary is None or self._summary[0] != len(self):
            cols = self._core.documents()
            dates = sorted(d for d in cols["date"] if d)
            self._summary = (len(self), {
                "documents": len(cols["doc"]),
                "sentences": sum(cols["sentences"]),
                "mentions": sum(cols["mentions"]),
                "dates": f"{dates[0]} to {dates[-1]}" if dates else "none",
                "undated": sum(1 for d in cols["date"] if not d),
            })
        return self._summary[1]

    def __repr__(self) -> str:
        s = self._stats()
        return (f"<relcore.Corpus: {s['documents']:,} documents, {s['sentences']:,} "
                f"sentences, {s['mentions']:,} mentions; dated {s['dates']}>")

    def _repr_html_(self) -> str:
        s = self._stats()
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
                       f"<td>{html.escape(f'{v:,}' if isinstance(v, int) else v)}</td></tr>"
                       for k, v in s.items())
        return f"<table><caption>relcore.Corpus</caption>{rows}</table>"

    # MARK: - Tables

    def entities(self, *, level: str = "entity", types: str | Sequence[str] | None = None,
                 min_count: int | None = None, top: int | None = None,
                 entity: str | Sequence[str] | None = None, since: Any = None,
                 until: Any = None, by: str | None = None,
                 by_meta: str | None = None) -> Table:
        """Mentions and documents per entity: entity, type, country,
        mentions, documents, most mentioned first.

        ``level="country"`` rolls mentions up to their countries; ``types``
        keeps some types (``"PERSON,ORG"`` or a list); ``since``/``until``
        keep documents dated within them; ``by`` (``day``, ``week``,
        ``month``, ``year``) or ``by_meta`` (a metadata column) count each
        group, the group first (undated documents in ``undated``).

        >>> c = Corpus.from_texts(["Iran spoke.", "Iran and Oman met."],
        ...                       dates=["2025-01-05", "2025-02-01"])
        >>> c.entities(by="month")[["period", "entity", "mentions"]].values.tolist()
        [['2025-01', 'Iran', 1], ['2025-02', 'Iran', 1], ['2025-02', 'Oman', 1]]
        """
        if by_meta is not None and by_meta not in self._meta_keys():
            known = ", ".join(sorted(self._meta_keys())) or "none"
            raise OptionError(f"by_meta={by_meta!r}: no document has this column "
                              f"(metadata columns: {known})")
        return _frame(self._core.count(level=level, types=_types(types), min_count=min_count,
                                       top=top, entity=entity, since=_date_text(since),
                                       until=_date_text(until), by=by, by_meta=by_meta))

    def mentions(self) -> Table:
        """One row a mention: doc, sentence, start, end, text, entity, type,
        country, rule (character offsets into the document's text).

        >>> Corpus.from_texts(["The Iranian envoy left."]).mentions()[
        ...     ["text", "entity", "type", "start", "end"]].values.tolist()
        [['Iranian', 'Iran', 'NORP', 4, 11]]
        """
        return _frame(self._core.mentions())

    def cooccurrence(self, *, context: str = "sentence", count: str = "boolean",
                     directed: bool = False, level: str = "entity",
                     sort: str = "count", types: str | Sequence[str] | None = None,
                     min_count: int | None = None, top: int | None = None,
                     entity: str | Sequence[str] | None = None, since: Any = None,
                     until: Any = None, source_col: str | None = None,
                     terms: bool = False, stopwords: PathLike | None = None,
                     **options: Any) -> Table:
        """Entity pairs mentioned in the same context: source, target,
        count, source_type, target_type and the measures pmi, npmi, llr,
        dice and jaccard; the options of ``relcore cooccur`` by the same
        names (``min_count`` for ``--min-count``).

        ``context`` is ``sentence``, ``paragraph``, ``document`` or
        ``window:N``; ``count`` is ``boolean`` (contexts holding both; for
        windows, documents), ``frequency`` (pairs of mentions) or
        ``weighted`` (windows: each pair adds 1/distance); ``directed``
        keeps text order; ``sort`` is ``count``, ``pmi``, ``npmi``,
        ``llr``, ``dice`` or ``jaccard``; ``entity`` keeps the pairs
        touching the names given; ``source_col`` gives directed edges from
        a document's metadata value (a UN speaker's country) to each entity
        it mentions, counted per document.  ``terms=True`` pairs lower-cased
        words instead of entities (stop words out: the built-in English
        list, or the file ``stopwords``, one a line); the corpus must be made
        with ``terms=True``.  Further options of the core go through by name.

        >>> c = Corpus.from_texts(["Iran met Oman. Oman met Qatar.", "Iran and Qatar."])
        >>> c.cooccurrence(context="document", sort="npmi", top=2)[
        ...     ["source", "target", "count"]].values.tolist()
        [['Iran', 'Qatar', 2], ['Iran', 'Oman', 1]]
        """
        return _frame(self._core.cooccur(**_query_options(dict(
            options, context=context, count=count, directed=directed, level=level,
            sort=sort, types=types, min_count=min_count, top=top, entity=entity,
            since=_date_text(since), until=_date_text(until), source_col=source_col,
            terms=terms, stopwords=None if stopwords is None else os.fspath(stopwords)))))

    def matrix(self, **options: Any) -> tuple[Any, list[str]]:
        """The co-occurrence matrix as a ``scipy.sparse.csr_matrix``,
        symmetric (directed: source rows, target columns), and its labels,
        the entity names in order.  Takes the options of
        :meth:`cooccurrence`.

        >>> m, labels = Corpus.from_texts(["Iran met Oman and Qatar."]).matrix()
        >>> labels, m.toarray().tolist()
        (['Iran', 'Oman', 'Qatar'], [[0, 1, 1], [1, 0, 1], [1, 1, 0]])
        """
        import numpy as np
        from scipy import sparse

        cols = self._core.cooccur(**_query_options(options))
        labels = sorted(set(cols["source"]) | set(cols["target"]))
        index = {name: i for i, name in enumerate(labels)}
        rows = np.fromiter((index[n] for n in cols["source"]), dtype=np.intp,
                           count=len(cols["source"]))
        targets = np.fromiter((index[n] for n in cols["target"]), dtype=np.intp,
                              count=len(cols["target"]))
        values = np.frombuffer(cols["count"], dtype=cols["count"].typecode)
        if not options.get("directed") and not options.get("source_col"):
            rows, targets = np.concatenate([rows, targets]), np.concatenate([targets, rows])
            values = np.concatenate([values, values])
        m = sparse.csr_matrix((values, (rows, targets)), shape=(len(labels), len(labels)))
        return m, labels

    def graph(self, **options: Any) -> Any:
        """The co-occurrence network as a ``networkx`` graph (a DiGraph when
        ``directed=True`` or with ``source_col``): nodes carry type, country
        and mentions, edges the count and the measures.  Takes the options
        of :meth:`cooccurrence`.

        >>> g = Corpus.from_texts(["Iran met Oman and Qatar."]).graph()
        >>> sorted(g.edges), g.nodes["Iran"]["country"]
        ([('Iran', 'Oman'), ('Iran', 'Qatar'), ('Oman', 'Qatar')], 'IRN')
        """
        import networkx as nx

        opts = _query_options(options)
        edges = self._core.cooccur(**opts)
        nodes = self._core.count(level=opts.get("level", "entity"))
        directed = options.get("directed") or options.get("source_col")
        g = nx.DiGraph() if directed else nx.Graph()
        names = set(edges["source"]) | set(edges["target"])
        for name, typ, country, mentions in zip(nodes["entity"], nodes["type"],
                                                nodes["country"], nodes["mentions"]):
            if name in names:
                g.add_node(name, type=typ, country=country, mentions=mentions)
        keys = [k for k in edges if k not in ("source", "target", "source_type", "target_type")]
        values = [edges[k].tolist() if isinstance(edges[k], array) else edges[k] for k in keys]
        g.add_edges_from((a, b, dict(zip(keys, row)))
                         for a, b, *row in zip(edges["source"], edges["target"], *values))
        return g

    def kwic(self, entity: str, other: str | None = None, *, level: str = "entity",
             since: Any = None, until: Any = None) -> Table:
        """The evidence: every sentence naming ``entity`` (and ``other``):
        doc, sentence, start, end, source, target, text, and the offsets of
        each mention as ``"start-end;..."`` (source_spans, target_spans),
        all character offsets into the document.

        >>> c = Corpus.from_texts(["Iran met Oman. Iran left.", "Oman and Iran spoke."])
        >>> c.kwic("Iran", "Oman")["text"].tolist()
        ['Iran met Oman.', 'Oman and Iran spoke.']
        """
        names = [entity] if other is None else [entity, other]
        return _frame(self._core.kwic(entity=names, level=level, since=_date_text(since),
                                      until=_date_text(until)))

    def timeline(self, by: str = "month", *, entity: str | Sequence[str] | None = None,
                 level: str = "entity", context: str = "sentence", since: Any = None,
                 until: Any = None) -> Table:
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
        return _frame(self._core.timeline(by=by, entity=entity, level=level, context=context,
                                          since=_date_text(since), until=_date_text(until)))


def open(path: PathLike, *, gazetteer: Paths | None = None, builtin: bool = True,
         terms: bool = False, ner: str = "model") -> Corpus:
    """A Corpus of the documents stored in a relcore database (made by
    ``relcore ingest``), with every method of one read from files.

    The gazetteer options and ``ner`` must be those the database was built
    with (a database made with others is refused).  ``terms=True`` loads
    the stored words too (for a database ingested with ``--terms``).  A
    missing file raises ``FileNotFoundError``, one that is not a relcore
    database :class:`relcore.Error`."""
    corpus = Corpus(gazetteer=gazetteer, builtin=builtin, terms=terms, ner=ner)
    corpus._core.load_db(os.fspath(path))
    return corpus
