"""The same retrieval, filter and update tests against both stores (FAISS folder and
Milvus Lite), with the fake embedder and the real engines."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.config import PROJECT_ROOT, Settings
from rag.ingest import load_corpus
from rag.retrieve import HybridRetriever
from rag.store import Filter, build_index, open_store, read_manifest

from .conftest import FakeEmbedder

pymilvus = pytest.importorskip("pymilvus", reason="the Milvus extra is not installed")

ARTICLES = {
    "sports/derby.txt": "City win the derby in extra time\nSource: Northern Echo\nPublished: 2024-03-02\n\n"
    "City beat United 3-2 after extra time on Saturday. Striker Ana Lopes scored twice, "
    "and the winner came in the 112th minute.\n\nThe crowd of 41,000 was a season record.",
    "markets/fed.txt": "Fed holds rates steady\nSource: Market Wire\nPublished: March 20, 2024\n\n"
    "The Federal Reserve held its benchmark rate at 5.25% to 5.5% on Wednesday. "
    "Chair Jerome Powell said three cuts were still expected this year.\n\n"
    "Treasury yields fell after the statement.",
    "tech/chip.md": "# Chipmaker unveils 2nm processor\n\n*Tech Daily* · 2024-05-14\n\n"
    "The company said its **2nm processor** uses 30% less power than the previous "
    "generation. Shipments begin in the fourth quarter.",
    "politics/vote.txt": "Council approves new budget\nSource: Civic Times\nPublished: 2023-11-08\n\n"
    "The city council approved a $4.2 billion budget by a vote of 9 to 4. "
    "Mayor Dana Ortiz said the plan adds 300 police officers.",
}


def write_articles(folder: Path, articles: dict[str, str] = ARTICLES) -> None:
    for name, text in articles.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture(params=["faiss", "milvus"])
def store_settings(request, tmp_path: Path) -> Settings:
    seeds = tmp_path / "articles"
    write_articles(seeds)
    return Settings(
        seeds_dir=seeds,
        index_dir=tmp_path / "index",
        cache_dir=tmp_path / "cache",
        embedder="fake-embedder",
        store=request.param,
    )


def retriever(settings: Settings, emb: FakeEmbedder) -> HybridRetriever:
    return HybridRetriever(open_store(settings), emb, settings.candidates, settings.rrf_k)


QUERIES = [
    "Who scored the winner in the derby?",
    "What did the Federal Reserve do with rates?",
    "How much less power does the 2nm processor use?",
    "How many police officers does the budget add?",
    "What happened on Saturday?",
]


def test_both_stores_rank_alike(tmp_path: Path):
    seeds = tmp_path / "articles"
    write_articles(seeds)
    emb = FakeEmbedder()
    ranked = {}
    for store in ("faiss", "milvus"):
        s = Settings(seeds_dir=seeds, index_dir=tmp_path / store, embedder="fake-embedder", store=store)
        build_index(s, emb)
        r = retriever(s, emb)
        ranked[store] = [
            [(h.chunk.doc_id, h.chunk.start, h.dense_rank, h.bm25_rank) for h in r.retrieve(q, 2)] for q in QUERIES
        ]
    assert ranked["faiss"] == ranked["milvus"]
    assert ranked["faiss"][0][0][0] == "sports/derby.txt"


def test_filters_by_outlet_file_and_day(store_settings: Settings):
    emb = FakeEmbedder()
    build_index(store_settings, emb)
    r = retriever(store_settings, emb)

    def docs(**kw) -> set[str]:
        return {h.chunk.doc_id for h in r.retrieve("rate budget processor derby", 10, Filter.of(**kw))}

    assert docs(sources=["market wire"]) == {"markets/fed.txt"}
    assert docs(sources=["sports/derby.txt", "Civic Times"]) == {"sports/derby.txt", "politics/vote.txt"}
    assert docs(since="2024-03-01", until="2024-03-31") == {"sports/derby.txt", "markets/fed.txt"}
    assert docs(until="2023-12-31") == {"politics/vote.txt"}
    assert docs(since="2024-05-01") == {"tech/chip.md"}  # the Markdown line's date
    assert docs(sources=["Nobody"]) == set()


def test_incremental_add_change_remove(store_settings: Settings):
    emb = FakeEmbedder()
    store, first = build_index(store_settings, emb)
    n = first["chunks"]
    (store_settings.seeds_dir / "new.txt").write_text(
        "Port strike ends\n\nDockworkers in Rotterdam ended a nine-day strike."
    )
    emb.calls.clear()
    store, second = build_index(store_settings, emb)
    assert second["added"] == 1 and second["embedded"] == 1 and sum(emb.calls) == 1
    assert second["chunks"] == n + 1 == open_store(store_settings).count()
    (store_settings.seeds_dir / "markets/fed.txt").unlink()
    store, third = build_index(store_settings, emb)
    assert third["removed"] == 1 and third["embedded"] == 0
    assert "markets/fed.txt" not in read_manifest(store_settings.index_dir).documents
    r = retriever(store_settings, emb)
    assert all(h.chunk.doc_id != "markets/fed.txt" for h in r.retrieve("Federal Reserve rates Powell", 5))
    assert r.retrieve("Rotterdam dockworkers strike", 1)[0].chunk.doc_id == "new.txt"
    assert open_store(store_settings).passages("new.txt")[0].doc_id == "new.txt"


def test_rebuilding_twice_keeps_one_copy(store_settings: Settings):
    emb = FakeEmbedder()
    _, first = build_index(store_settings, emb)
    # A run that died after writing passages but before its manifest: the next run
    # writes the articles again and must not hold them twice.
    manifest = read_manifest(store_settings.index_dir)
    (store_settings.index_dir / "manifest.json").write_text(
        json.dumps({**json.loads((store_settings.index_dir / "manifest.json").read_text()), "documents": {}})
    )
    _, second = build_index(store_settings, emb)
    assert second["chunks"] == first["chunks"] == open_store(store_settings).count()
    assert read_manifest(store_settings.index_dir).documents == manifest.documents


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_milvus_server_on_loopback_serves_a_uri(tmp_path: Path):
    """The path a cluster user takes: the collection behind an http URI, not a file."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "milvus-server", "--db", str(tmp_path / "srv.db"), "--port", str(port)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stdout.readline()
        assert f"http://127.0.0.1:{port}" in line
        if shutil.which("ss"):
            listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
            bound = [row.split()[3] for row in listening.splitlines() if row.split()[3].endswith(f":{port}")]
            assert bound and all(a.startswith(("127.0.0.1:", "[::1]:", "[::ffff:127.0.0.1]:")) for a in bound), bound
        seeds = tmp_path / "articles"
        write_articles(seeds)
        s = Settings(
            seeds_dir=seeds,
            index_dir=tmp_path / "index",
            embedder="fake-embedder",
            store="milvus",
            milvus_uri=f"http://127.0.0.1:{port}",
        )
        emb = FakeEmbedder()
        for _ in range(30):  # the server takes a moment to accept connections
            try:
                build_index(s, emb)
                break
            except Exception:
                time.sleep(1)
        manifest = read_manifest(s.index_dir)
        assert manifest.store == "milvus" and manifest.location.startswith(f"http://127.0.0.1:{port}#")
        assert not (s.index_dir / "milvus.db").exists()
        hits = retriever(s, emb).retrieve("Who scored the winner in the derby?", 1)
        assert hits[0].chunk.doc_id == "sports/derby.txt"
        children = _children(server.pid)
        assert children or sys.platform != "linux"  # Milvus Lite runs as a process of its own
    finally:
        server.terminate()
        server.wait(timeout=30)
    # Stopped with SIGTERM (as `kill` and service managers do), it stops Milvus too:
    # nothing is left holding the file and the port.
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not [pid for pid in children if _alive(pid)]


def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc; none read elsewhere)."""
    out: list[int] = []
    if sys.platform != "linux":
        return out
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _alive(pid: int) -> bool:
    """Is ``pid`` a running process (not gone, not a zombie)?"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


@pytest.mark.model
@pytest.mark.parametrize("store", ["faiss", "milvus"])
def test_kill_during_add_loses_no_acknowledged_article(tmp_path: Path, store: str):
    """``rag add`` killed with SIGKILL mid-way: every article it reported as added is in
    the index afterwards, and the index loads and updates cleanly."""
    seeds, incoming = tmp_path / "articles", tmp_path / "incoming"
    write_articles(seeds)
    incoming.mkdir()
    for i in range(120):
        (incoming / f"wire-{i:03d}.txt").write_text(
            f"Wire item {i}\n\n"
            + " ".join(f"Report {i} sentence {j} about harbour traffic and grain prices." for j in range(40)),
            encoding="utf-8",
        )
    env = {**os.environ, "RAG_SEEDS": str(seeds), "RAG_INDEX": str(tmp_path / "index"), "RAG_STORE": store}
    subprocess.run(
        [sys.executable, "-m", "rag.cli", "index"], env=env, cwd=PROJECT_ROOT, check=True, capture_output=True
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "add", *sorted(map(str, incoming.iterdir()))],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    acknowledged = []
    if store == "milvus":  # commits batch by batch: kill it after some were acknowledged
        for line in proc.stdout:
            if line.startswith("added "):
                acknowledged.append(line.split(" ", 1)[1].strip())
                if len(acknowledged) >= 20:
                    break
    else:  # one atomic swap at the end: kill it while it embeds
        time.sleep(8)
    proc.kill()
    proc.wait()
    acknowledged += [
        line.split(" ", 1)[1].strip() for line in proc.stdout.read().splitlines() if line.startswith("added ")
    ]
    # Checked in a fresh process, as a user would next run: a Milvus Lite file opens in
    # one process at a time, and this one must not hold it for the command after.
    check = subprocess.run([sys.executable, "-c", INSPECT], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    seen = json.loads(check.stdout.strip().splitlines()[-1])
    assert seen["count"] == seen["manifest_count"]
    assert set(acknowledged) <= set(seen["documents"])
    assert all(seen["leads"][d] for d in acknowledged)
    if store == "faiss":  # all or nothing
        assert len([d for d in seen["documents"] if d.startswith("wire-")]) in (0, 120)
    done = subprocess.run(
        [sys.executable, "-m", "rag.cli", "index"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    docs, _ = load_corpus(seeds)
    check = subprocess.run([sys.executable, "-c", INSPECT], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    seen = json.loads(check.stdout.strip().splitlines()[-1])
    assert set(seen["documents"]) == {d.doc_id for d in docs}
    assert seen["count"] == seen["manifest_count"] > len(docs)


INSPECT = """
import json
from rag import Settings
from rag.store import open_store, read_manifest
s = Settings.from_env()
m = read_manifest(s.index_dir)
store = open_store(s, m)
print(json.dumps({"count": store.count(), "manifest_count": m.chunk_count, "documents": sorted(m.documents),
                  "leads": {d: bool(store.passages(d)) for d in m.documents}}))
"""


@pytest.mark.parametrize("content", [b"", b'{"format_version": 8, "embed', b"\x00\x17garbage\xff" * 20])
def test_a_broken_manifest_is_rebuilt_on_either_store(store_settings: Settings, content: bytes):
    """The message says "rebuild it with `rag index`", and `rag index` then does."""
    from rag.errors import IndexCorruptError

    store, _ = build_index(store_settings, FakeEmbedder())
    n = store.count()
    if hasattr(store, "close"):
        store.close()
    (store_settings.index_dir / "manifest.json").write_bytes(content)
    with pytest.raises(IndexCorruptError, match="rag index"):
        open_store(store_settings)
    store, _ = build_index(store_settings, FakeEmbedder())
    assert store.count() == n and open_store(store_settings).count() == n
    if hasattr(store, "close"):
        store.close()


def test_a_removal_the_index_cannot_take_loses_nothing(store_settings: Settings):
    """Removing every article would leave no index: the removal is refused with the
    reason, and the files and the index are as they were (before, the files were gone
    and the index stale for good)."""
    from rag.errors import CorpusError
    from rag.store import remove_articles

    emb = FakeEmbedder()
    build_index(store_settings, emb)
    seeds = store_settings.seeds_dir
    before = {p.relative_to(seeds): p.read_bytes() for p in seeds.rglob("*") if p.is_file()}
    count = open_store(store_settings).count()
    names = [str(p) for p in before if p.suffix in (".txt", ".md", ".html", ".jsonl")]
    with pytest.raises(CorpusError, match="nothing was removed, as the index would fail: no usable articles"):
        remove_articles(store_settings, emb, names)
    assert {p.relative_to(seeds): p.read_bytes() for p in seeds.rglob("*") if p.is_file()} == before
    assert open_store(store_settings).count() == count
    # A removal that leaves articles goes through (a name given twice is one file).
    remove_articles(store_settings, emb, [names[0], names[0]])
    assert not (seeds / names[0]).exists() and len(list(seeds.rglob(".*removing*"))) == 0


def test_removing_a_linked_article_removes_the_link_not_its_target(store_settings: Settings):
    """``rag remove alias.txt`` where alias.txt links to another article used to delete
    that other article and leave the link dangling."""
    from rag.store import remove_articles

    emb = FakeEmbedder()
    seeds = store_settings.seeds_dir
    target = seeds / "markets/fed.txt"
    content = target.read_bytes()
    (seeds / "alias.txt").symlink_to("markets/fed.txt")
    build_index(store_settings, emb)
    assert "alias.txt" in open_store(store_settings).manifest.documents
    remove_articles(store_settings, emb, ["alias.txt"])
    assert not (seeds / "alias.txt").is_symlink() and target.read_bytes() == content
    documents = open_store(store_settings).manifest.documents
    assert "alias.txt" not in documents and "markets/fed.txt" in documents


def test_an_article_is_removed_by_its_path_from_where_the_command_runs(
    store_settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    """``rag remove seeds/markets/fed.txt`` (a path completed by the shell) names the same
    article as ``markets/fed.txt``; a path outside the folder is still refused."""
    from rag.errors import CorpusError
    from rag.store import remove_articles

    emb = FakeEmbedder()
    seeds = store_settings.seeds_dir
    build_index(store_settings, emb)
    monkeypatch.chdir(seeds.parent)
    remove_articles(store_settings, emb, [f"./{seeds.name}/markets/fed.txt"])
    assert not (seeds / "markets/fed.txt").exists()
    assert "markets/fed.txt" not in open_store(store_settings).manifest.documents
    (seeds.parent / "elsewhere.txt").write_text("Headline\n\nText of a story.\n", encoding="utf-8")
    with pytest.raises(CorpusError):
        remove_articles(store_settings, emb, ["elsewhere.txt"])


def test_two_files_of_one_name_in_one_batch_are_refused(store_settings: Settings, tmp_path: Path):
    """``rag add a/story.txt b/story.txt`` used to keep one, report both and lose the other."""
    from rag.errors import CorpusError
    from rag.store import add_files

    emb = FakeEmbedder()
    build_index(store_settings, emb)
    files = []
    for folder, text in (("a", "The mayor opened the bridge on Monday."), ("b", "The river flooded on Tuesday.")):
        (tmp_path / folder).mkdir()
        files.append(tmp_path / folder / "story.txt")
        files[-1].write_text(f"Story\n\n{text}\n", "utf-8")
    with pytest.raises(CorpusError, match="would both be story.txt"):
        add_files(store_settings, emb, files)
    assert not (store_settings.seeds_dir / "story.txt").exists()
    add_files(store_settings, emb, [files[0], files[0]])  # the same file twice is one
    assert "story.txt" in open_store(store_settings).manifest.documents


def test_names_with_tabs_and_no_break_spaces_are_filtered_and_removed_on_either_store(store_settings: Settings):
    """Milvus blanked every non-printable character in a filter, so "storm\\u202freport.txt"
    (a narrow no-break space, as macOS writes in screenshot names) matched nothing, and
    its passages stayed after removal. A line break in a name is skipped with its reason."""
    from rag.store import remove_articles

    emb = FakeEmbedder()
    names = ["storm\u202freport.txt", "tab\tstorm.txt", "fair\u00a0day.txt"]
    for n in [*names, "new\nline.txt"]:
        (store_settings.seeds_dir / n).write_text(f"Storm report\n\nThe storm in {n} damaged 300 homes.\n", "utf-8")
    store, stats = build_index(store_settings, emb)
    assert stats["skipped"] == 1 and "line break" in " ".join(open_store(store_settings).manifest.skipped.values())
    for n in names:
        assert len(store.passages(n)) == 1, n
        assert [
            h.chunk.doc_id for h in retriever(store_settings, emb).retrieve("storm homes", 3, Filter.of(sources=[n]))
        ] == [n]
    for n in names:
        store, _ = remove_articles(store_settings, emb, [n])
        assert not store.passages(n) and n not in store.manifest.documents
    if hasattr(store, "close"):
        store.close()
