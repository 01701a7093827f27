"""Entity recognition quality on CoNLL-2003, relcore beside spaCy.

    python bench/ner.py [../shared/ner/conll2003/eng.testa] [--spacy MODEL] [--limit N]

Each CoNLL document becomes one text: its sentences' tokens joined by single
spaces, sentences separated by blank lines (so each is its own paragraph).
relcore (with the learned tagger, the default, and with --ner rules) and
spaCy read the same texts.  Mentions are mapped to CoNLL tokens
by character offsets and scored as conlleval does: an entity counts only when
its span and type both match exactly.  Types map to CoNLL's as
../shared/ner/README.md says: PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC,
NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/LANGUAGE/MISC -> MISC; numeric types are
dropped.  Prints precision, recall and F1 per type, the PER/ORG/LOC micro
average and the all-type micro average, and tokens per second.
"""
import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import relcore

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "ner" / "conll2003" / "eng.testa"
TYPE_MAP = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC",
            "FAC": "LOC", "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC",
            "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC", "MISC": "MISC"}


def read_conll(path):
    """Documents as lists of sentences of (token, tag)."""
    docs, doc, sent = [], [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            if sent:
                doc.append(sent)
                sent = []
            if doc:
                docs.append(doc)
                doc = []
            continue
        if not line.strip():
            if sent:
                doc.append(sent)
                sent = []
            continue
        parts = line.split()
        sent.append((parts[0], parts[-1]))
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    return docs


def gold_spans(sent):
    """IOB1 tags to (start, end, type) token spans (the spans of
    ((doc, sentence), start, end, type) compared below)."""
    spans, start, typ = [], None, None
    for i, (_, tag) in enumerate(sent + [("", "O")]):
        kind = tag[2:] if tag != "O" else None
        begins = tag.startswith("B-") or (kind and kind != typ)
        if start is not None and (kind is None or begins):
            spans.append((start, i, typ))
            start, typ = None, None
        if kind and start is None:
            start, typ = i, kind
    return spans


def build_text(doc):
    """The document's text and, per sentence, each token's character span."""
    parts, offsets, pos = [], [], 0
    for si, sent in enumerate(doc):
        if si:
            parts.append("\n\n")
            pos += 2
        offs = []
        for ti, (tok, _) in enumerate(sent):
            if ti:
                parts.append(" ")
                pos += 1
            offs.append((pos, pos + len(tok)))
            parts.append(tok)
            pos += len(tok)
        offsets.append(offs)
    return "".join(parts), offsets


def to_token_spans(mentions, offsets):
    """(sentence, start token, end token, CoNLL type) of each mention that
    covers whole tokens."""
    starts, ends = {}, {}
    for si, offs in enumerate(offsets):
        for ti, (a, b) in enumerate(offs):
            starts[a] = (si, ti)
            ends[b] = (si, ti + 1)
    spans = set()
    for start, end, typ in mentions:
        typ = TYPE_MAP.get(typ)
        if typ and start in starts and end in ends and starts[start][0] == ends[end][0]:
            spans.add((starts[start][0], starts[start][1], ends[end][1], typ))
    return spans


def relcore_mentions(texts, ner="model"):
    corpus = relcore.Corpus.from_texts(texts, ner=ner)
    m = corpus.mentions()
    out = [[] for _ in texts]
    for doc, start, end, typ in zip(m["doc"], m["start"], m["end"], m["type"]):
        out[int(doc)].append((start, end, typ))
    return out


def spacy_mentions(nlp, texts):
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents]
            for doc in nlp.pipe(texts, batch_size=32)]


def score(pred, gold):
    rows = {}
    for typ in ["PER", "ORG", "LOC", "MISC"]:
        p = {s for s in pred if s[3] == typ}
        g = {s for s in gold if s[3] == typ}
        rows[typ] = (len(p & g), len(p), len(g))
    for name, types in [("PER/ORG/LOC", ["PER", "ORG", "LOC"]), ("all", ["PER", "ORG", "LOC", "MISC"])]:
        rows[name] = tuple(sum(rows[t][k] for t in types) for k in range(3))
    return rows


def prf(tp, np_, ng):
    p = tp / np_ if np_ else 0.0
    r = tp / ng if ng else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--spacy", default="en_core_web_sm", help="spaCy pipeline to compare ('' for none)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents")
    args = ap.parse_args()
    docs = read_conll(args.path)
    if args.limit:
        docs = docs[:args.limit]
    texts, offsets, gold = [], [], set()
    ntok = 0
    for di, doc in enumerate(docs):
        text, offs = build_text(doc)
        texts.append(text)
        offsets.append(offs)
        ntok += sum(len(s) for s in doc)
        for si, sent in enumerate(doc):
            gold |= {((di, si), a, b, t) for a, b, t in gold_spans(sent)}

    systems = [("relcore-model", lambda t: relcore_mentions(t, "model")),
               ("relcore-rules", lambda t: relcore_mentions(t, "rules"))]
    if args.spacy:
        try:
            import spacy
            nlp = spacy.load(args.spacy)
            meta = nlp.meta
            label = f"spaCy {meta.get('name')} {meta.get('version')}"
            systems.append((label, lambda t: spacy_mentions(nlp, t)))
        except (ImportError, OSError) as exc:
            print(f"(spaCy pipeline {args.spacy!r} not available: {exc})", file=sys.stderr)

    relcore_mentions(texts[:1])  # warm-up: imports pandas, touches the model
    print(f"{args.path}: {len(docs)} documents, {ntok} tokens")
    print(f"{'system':<36}{'type':<13}{'P':>7}{'R':>7}{'F1':>7}   tokens/s")
    for name, fn in systems:
        t0 = time.perf_counter()
        ments = fn(texts)
        dt = time.perf_counter() - t0
        pred = set()
        for di, (m, offs) in enumerate(zip(ments, offsets)):
            pred |= {((di, si), a, b, t) for si, a, b, t in to_token_spans(m, offs)}
        rows = score(pred, gold)
        for typ, (tp, np_, ng) in rows.items():
            p, r, f = prf(tp, np_, ng)
            speed = f"{ntok / dt:>10,.0f}" if typ == "PER" else ""
            print(f"{name:<36}{typ:<13}{p:>7.3f}{r:>7.3f}{f:>7.3f}   {speed}")


if __name__ == "__main__":
    main()
