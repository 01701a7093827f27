"""relcore.dask on a real LocalCluster of 2 worker processes: the joined
corpus answers exactly as one analysed on one machine, and so do the
tables counted on the workers over partitions kept there (persist)."""
import os
import pickle

import pytest

if os.environ.get("RELCORE_SANITIZE"):
    pytest.skip("Dask's worker processes stay out of the sanitizer run", allow_module_level=True)

pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

import relcore  # noqa: E402
import relcore.dask  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def same(a, b):
    assert len(a) == len(b)
    assert a.mentions().equals(b.mentions())
    for kw in ({}, {"context": "window:10", "count": "weighted"},
               {"level": "country", "sort": "llr"}):
        assert a.cooccurrence(**kw).equals(b.cooccurrence(**kw)), kw
    assert a.kwic("Iran", "Pakistan").equals(b.kwic("Iran", "Pakistan"))
    assert a.timeline(by="month").equals(b.timeline(by="month"))


def test_pickle_keeps_the_analysis(examples):
    c = relcore.Corpus(examples, terms=True)
    back = pickle.loads(pickle.dumps(c))
    same(back, c)
    assert back.cooccurrence(terms=True).equals(c.cooccurrence(terms=True))


def test_paths_on_two_worker_processes(client, examples):
    files = sorted(examples.glob("*.txt"))
    on_cluster = relcore.dask.corpus(files, npartitions=5, split_every=2, terms=True)
    assert len(client.scheduler_info()["workers"]) == 2
    local = relcore.Corpus(files, terms=True)
    same(on_cluster, local)
    assert on_cluster.cooccurrence(terms=True).equals(local.cooccurrence(terms=True))


def test_a_bag_of_records(client, examples):
    import dask.bag as db
    files = sorted(examples.glob("*.txt"))
    records = [{"id": f.name, "text": f.read_text(), "desk": "south-asia" if i % 2 else "gulf"}
               for i, f in enumerate(files)]
    on_cluster = relcore.dask.corpus(db.from_sequence(records, npartitions=4))
    local = relcore.Corpus.from_texts([r["text"] for r in records], [r["id"] for r in records],
                                      metadata=[{"desk": r["desk"]} for r in records])
    same(on_cluster, local)
    assert on_cluster.entities(by_meta="desk").equals(local.entities(by_meta="desk"))
    kept = relcore.dask.persist(db.from_sequence(records, npartitions=4))
    assert kept.entities(by_meta="desk").equals(local.entities(by_meta="desk"))
    assert kept.cooccurrence(source_col="desk").equals(local.cooccurrence(source_col="desk"))


def test_packed_bytes_are_checked(examples):
    c = relcore.Corpus(examples)
    data = c._core.pack()
    for bad in (data[:len(data) // 2], b"RCPK" + data[4:8][::-1] + data[8:], b"nonsense"):
        other = relcore.Corpus(examples)
        with pytest.raises((relcore.Error, ValueError)):
            other._core.unpack(bad)
        assert other.entities().equals(c.entities())  # left as it was
    with pytest.raises(ValueError, match="terms"):
        relcore.Corpus(terms=True)._core.unpack(data)


def test_csv_partitions_of_the_un_debates(client, tmp_path):
    import csv
    import sys
    from conftest import shared_path
    un = shared_path("corpora", "ungdc_1990_2024.csv")
    csv.field_size_limit(sys.maxsize)
    with open(un, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:1201]
    parts = []
    for k in range(4):
        part = tmp_path / f"un_{k}.csv"
        with open(part, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(body[k * 300:(k + 1) * 300])
        parts.append(part)
    on_cluster = relcore.dask.corpus(parts)
    local = relcore.Corpus(parts)
    kw = {"source_col": "country", "level": "country", "sort": "llr"}
    assert len(on_cluster) == 1200
    assert on_cluster.cooccurrence(**kw).equals(local.cooccurrence(**kw))
    persisted = relcore.dask.persist(parts)
    assert persisted.cooccurrence(**kw).equals(local.cooccurrence(**kw))


def test_tables_counted_on_the_workers(client, examples):
    """persist keeps the partitions on the workers: the tables are their
    summed counts, and equal the single-machine ones."""
    files = sorted(examples.glob("*.txt"))
    kept = relcore.dask.persist(files, npartitions=5, split_every=2, terms=True)
    local = relcore.Corpus(files, terms=True)
    assert len(kept) == len(local) and "5 partitions" in repr(kept)
    for kw in ({}, {"context": "window:10", "count": "weighted"},
               {"level": "country", "sort": "llr"}, {"context": "document", "directed": True},
               {"terms": True, "top": 30}, {"terms": True, "entity": "iran", "sort": "npmi"}):
        assert kept.cooccurrence(**kw).equals(local.cooccurrence(**kw)), kw
    for kw in ({}, {"level": "country"}, {"types": "PERSON", "top": 3}, {"by": "month"}):
        assert kept.entities(**kw).equals(local.entities(**kw)), kw
    m, labels = kept.matrix(context="document")
    m0, labels0 = local.matrix(context="document")
    assert labels == labels0 and (m != m0).nnz == 0
    assert sorted(kept.graph().edges) == sorted(local.graph().edges)
    assert kept.kwic("Iran", "Pakistan").equals(local.kwic("Iran", "Pakistan"))
    assert kept.kwic("Iran", level="country").equals(local.kwic("Iran", level="country"))
    assert kept.mentions().equals(local.mentions())
    assert kept.documents().equals(local.documents())
    for kw in ({}, {"entity": "Iran"}, {"entity": ["Iran", "Pakistan"], "by": "year"}):
        assert kept.timeline(**kw).equals(local.timeline(**kw)), kw
    with pytest.raises(NotImplementedError, match="join"):
        pickle.dumps(kept)
    with pytest.raises(relcore.OptionError, match="Atlantis"):
        kept.cooccurrence(entity="Atlantis")
    joined = kept.join()
    same(joined, local)
    assert kept.entities().equals(local.entities())  # the partitions are as they were


def test_part_counts_are_checked(examples):
    import relcore._core as core
    c = relcore.Corpus(examples)
    whole = relcore.Corpus()
    whole._core.unpack_tallies(c._core.pack_tallies())
    counts = c._core.part_counts(whole._core, "cooccur", context="document")
    assert relcore.Corpus(examples).cooccurrence(context="document").equals(
        relcore._frame(whole._core.part_table("cooccur", counts, context="document")))
    with pytest.raises(relcore.Error, match="damaged"):
        whole._core.part_table("cooccur", counts[:-4], context="document")
    with pytest.raises(relcore.Error, match="another query"):
        whole._core.part_table("cooccur", counts, context="sentence")
    with pytest.raises(relcore.Error):
        core.part_counts_sum([counts, c._core.part_counts(whole._core, "count")])
    with pytest.raises(relcore.Error, match="damaged"):
        whole._core.unpack_tallies(c._core.pack_tallies()[:-3])


def test_a_folder_is_split_by_file_and_keeps_its_ids(client, examples, tmp_path):
    """A folder is walked on this machine and its files spread over the
    partitions, each document with the id the whole folder gives it
    (desk/file.txt), also from a bag of paths."""
    import shutil

    import dask.bag as db
    for i, f in enumerate(sorted(examples.glob("*.txt"))):
        desk = tmp_path / ("gulf" if i % 2 else "south-asia")
        desk.mkdir(exist_ok=True)
        shutil.copy(f, desk / f.name)
    local = relcore.Corpus(tmp_path)
    assert any(d.startswith("gulf/") for d in local.documents()["doc"])
    kept = relcore.dask.persist(tmp_path, npartitions=3)
    assert len(kept._core._parts) == 3
    assert kept.cooccurrence().equals(local.cooccurrence())
    same(kept.join(), local)
    files = sorted(str(f) for f in tmp_path.rglob("*.txt"))
    same(relcore.dask.corpus(db.from_sequence(files, npartitions=2)), local)
