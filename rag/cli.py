"""The ``rag`` command.

    rag index             build or update the index from the articles folder
    rag add FILE...       copy articles into the folder and index them
    rag remove NAME...    take articles out of the folder and the index
    rag watch             keep the index up to date while files come and go
    rag ask "QUESTION"    answer (``--source``, ``--since``, ``--until`` narrow the articles)
    rag milvus-server     serve a Milvus Lite file on 127.0.0.1 for several processes

Exit codes: 0 success (a refusal is a successful answer), 1 a problem with the setup
(missing/stale index, model load failure, no articles), 2 bad usage or a bad question.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

EXIT_OK, EXIT_SETUP, EXIT_USAGE = 0, 1, 2


def seconds(text: str) -> float:
    """An argparse type: a positive, finite number of seconds (0 would poll in a busy loop)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (0 < value <= 86_400):
        raise argparse.ArgumentTypeError(f"must be a number of seconds from above 0 to 86400, not {text!r}")
    return value


def port(text: str) -> int:
    """An argparse type: a TCP port, checked before any model loads."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 1 <= value <= 65_535:
        raise argparse.ArgumentTypeError(f"must be a port from 1 to 65535, not {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag", description="Offline question answering over news articles.")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command", required=True)

    def folders(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--seeds", type=Path, help="articles folder (default: the project's seeds/)")
        cmd.add_argument("--index", type=Path, help="index folder (default: the project's index/)")
        cmd.add_argument(
            "--store", choices=("faiss", "milvus"), help="where passages live (default: RAG_STORE or faiss)"
        )

    index = sub.add_parser("index", help="build or update the index from the articles folder")
    folders(index)
    index.add_argument(
        "--status", action="store_true", help="say what the index holds and which files it skipped; change nothing"
    )
    add = sub.add_parser("add", help="copy article files into the articles folder and index them")
    add.add_argument("files", nargs="+", type=Path)
    folders(add)
    rm = sub.add_parser("remove", help="remove articles (file names in the articles folder) and their passages")
    rm.add_argument("names", nargs="+")
    folders(rm)
    watch = sub.add_parser("watch", help="update the index whenever files in the articles folder change")
    watch.add_argument("--interval", type=seconds, default=2.0, help="seconds between checks (default 2)")
    folders(watch)
    srv = sub.add_parser(
        "milvus-server", help="serve a Milvus Lite file to several processes (127.0.0.1 only by default)"
    )
    srv.add_argument(
        "--db", type=Path, default=Path("index/milvus.db"), help="the Milvus Lite file (default index/milvus.db)"
    )
    srv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; 0.0.0.0 exposes it)")
    srv.add_argument("--port", type=port, default=19530, help="port (default 19530)")
    srv.add_argument(
        "--insecure",
        action="store_true",
        help="serve beyond this machine: Milvus Lite has no login, so anyone who reaches the port reads and writes",
    )

    serve = sub.add_parser("serve", help="serve the OpenAI-compatible API alone (ui.py serves it beside the chat)")
    folders(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=port, default=8000)
    serve.add_argument("--api-key", default=None, help="the key clients must send (default: RAG_API_KEY)")
    serve.add_argument(
        "--insecure", action="store_true", help="serve beyond this machine without a key (not recommended)"
    )
    ask = sub.add_parser("ask", help="answer a question from the indexed articles")
    ask.add_argument("question", help="the question, in quotes")
    folders(ask)
    ask.add_argument(
        "--source",
        action="append",
        dest="sources",
        metavar="NAME",
        help="only articles from this outlet or file (repeatable)",
    )
    ask.add_argument("--since", help="only articles published on or after this day (YYYY-MM-DD)")
    ask.add_argument("--until", help="only articles published on or before this day (YYYY-MM-DD)")
    ask.add_argument(
        "--top-k",
        type=int,
        help="passages given to the model (default 3, plus one of another article when those all share one)",
    )
    ask.add_argument("--json", action="store_true", help="print the whole answer as JSON")
    return p


def _settings(args: argparse.Namespace):
    from .config import Settings

    return Settings.from_env(seeds_dir=args.seeds, index_dir=args.index, store=args.store)


def _embedder(settings):
    from .models import load_embedder

    return load_embedder(settings.embedder, settings.threads)


def _report(settings, store, stats: dict) -> None:
    # Skipped and flagged files were each logged once, by name, as they were found.
    flagged = len(store.manifest.flagged)
    print(
        f"Indexed {stats['documents']} article(s) into {stats['chunks']} passages in {settings.index_dir} "
        f"({settings.store}): {stats['added']} new or changed, {stats['removed']} removed; "
        f"{stats['embedded']} passages embedded, {stats['reused']} kept"
        + (f"; {stats['skipped']} file(s) skipped" if stats["skipped"] else "")
        + (f"; {flagged} with text addressed to the model" if flagged else "")
    )


def cmd_index(args: argparse.Namespace) -> int:
    from .ingest import load_corpus
    from .store import build_index

    settings = _settings(args)
    if args.status:
        return _status(settings, args)
    docs, skipped = load_corpus(settings.seeds_dir)
    store, stats = build_index(settings, _embedder(settings), docs=docs, skipped=skipped, progress=True)
    _report(settings, store, stats)
    return EXIT_OK


def _status(settings, args: argparse.Namespace) -> int:
    """What the index in ``settings.index_dir`` holds: articles, passages, outlets, the
    files skipped and those with text addressed to the model (each with why)."""
    from .errors import IndexStaleError
    from .store import open_current, read_manifest

    m = read_manifest(settings.index_dir)
    try:
        open_current(settings, m)  # as a question opens it: a damaged index raises here
        stale = ""
    except IndexStaleError as exc:
        stale = str(exc)
    print(f"{len(m.documents)} article(s), {m.chunk_count} passages in {settings.index_dir} ({m.store})")
    if m.outlets:
        print("outlets: " + ", ".join(m.outlets))
    for name, why in sorted(m.skipped.items()):
        print(f"skipped {name}: {why}")
    for name, why in sorted(m.flagged.items()):
        print(f"text addressed to the model in {name}: {why}")
    if stale:
        print(f"rag: {_with_folders(stale, args)}", file=sys.stderr)
        return EXIT_SETUP
    if not settings.seeds_dir.is_dir():
        # Questions are answered from the index as built; whether it is current is unknown
        # (a mistyped --seeds would otherwise read as an index that is up to date).
        print(
            f"rag: the articles folder {settings.seeds_dir} does not exist, so the index cannot be checked "
            "against it; pass --seeds with the folder it was built from",
            file=sys.stderr,
        )
        return EXIT_SETUP
    return EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    from .store import add_files

    settings = _settings(args)

    def acknowledged(ids: list[str]) -> None:
        for doc_id in ids:
            print(f"added {doc_id}", flush=True)

    store, stats = add_files(settings, _embedder(settings), args.files, progress=True, on_commit=acknowledged)
    _report(settings, store, stats)
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    from .store import remove_articles

    settings = _settings(args)
    store, stats = remove_articles(settings, _embedder(settings), args.names, progress=True)
    _report(settings, store, stats)
    return EXIT_OK


def cmd_watch(args: argparse.Namespace) -> int:
    from .errors import CorpusError
    from .store import Watcher, ensure_index

    settings = _settings(args)
    embedder = _embedder(settings)
    try:
        ensure_index(settings, embedder, progress=True)
    except CorpusError as exc:
        if not settings.seeds_dir.is_dir():
            raise
        # No article yet: what the watch is for is waiting for them.
        print(f"rag: {exc}; the first to arrive will be indexed", file=sys.stderr, flush=True)
    watcher = Watcher(settings, embedder, lambda store, stats: _report(settings, store, stats), args.interval)
    print(f"Watching {settings.seeds_dir} (every {args.interval:g} s); Ctrl-C stops.", flush=True)
    watcher.run()
    return EXIT_OK


def is_loopback(host: str) -> bool:
    """Does ``host`` bind this machine only? An address, or ``localhost``: a name such as
    "127.example.org" may resolve anywhere."""
    from .api import loopback_name

    return loopback_name(host)


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from . import Pipeline
    from .api import openai_app

    key = args.api_key or os.environ.get("RAG_API_KEY", "")
    if not is_loopback(args.host) and not key and not args.insecure:
        print(
            f"rag: serving on {args.host} opens the API to the network; give it a key "
            "(--api-key or RAG_API_KEY), or pass --insecure",
            file=sys.stderr,
        )
        return EXIT_USAGE
    problem = _cannot_listen(args.host, args.port)
    if problem:  # said before the models load, not after
        print(f"rag: cannot serve on {args.host}:{args.port} ({problem}); choose another --port", file=sys.stderr)
        return EXIT_SETUP
    import uvicorn

    pipeline = Pipeline(_settings(args), auto_index=True, progress=True)
    pipeline.warm_up()
    print(f"Serving the OpenAI-compatible API at http://{args.host}:{args.port}/v1 (model rag-news)", flush=True)
    uvicorn.run(openai_app(pipeline, api_key=key), host=args.host, port=args.port, log_level="warning")
    return EXIT_OK


def _cannot_listen(host: str, port: int) -> str | None:
    """Why nothing can listen on ``host:port`` (in use, no such address), or ``None``."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            s.bind(infos[0][4])
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def cmd_milvus_server(args: argparse.Namespace) -> int:
    from .store import serve_milvus as serve

    if not is_loopback(args.host) and not args.insecure:
        # The chat and the API refuse the network without a login or key; Milvus Lite has none.
        print(
            f"rag: serving on {args.host} opens the index to the network with no login (Milvus Lite has none); "
            "keep the default 127.0.0.1, or pass --insecure",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return serve(args.db, args.host, args.port)


def cmd_ask(args: argparse.Namespace) -> int:
    from . import Answer, Pipeline

    pipeline = Pipeline(_settings(args), progress=True)
    options = {"top_k": args.top_k} if args.top_k is not None else {}
    options.update({k: v for k, v in (("sources", args.sources), ("since", args.since), ("until", args.until)) if v})
    final: Answer = pipeline.answer(args.question, **options)
    if args.json:
        print(json.dumps(asdict(final), indent=2, ensure_ascii=False))
        return EXIT_USAGE if final.asked_nothing else EXIT_OK
    if final.asked_nothing:
        print(f"rag: {final.error}", file=sys.stderr)
        return EXIT_USAGE
    print(final.text)
    if final.citations:
        print("\nSources:")
        for c in final.citations:
            print(f"[{c.number}] {c.title} ({c.source}, chars {c.start}-{c.end})")
            print(f"    {c.text}")
    elif final.refused and final.hits:
        print("\nClosest passages:")
        for h in final.hits[:3]:
            print(f"- {h.chunk.title} ({h.chunk.doc_id}): {h.chunk.text[:160]}…")
    return EXIT_OK


def _with_folders(message: str, args: argparse.Namespace) -> str:
    """The library's fix hint, with the folders this command was given (see
    :meth:`Settings.with_folders`)."""
    if not hasattr(args, "seeds"):  # a command without folders (milvus-server)
        return message
    return _settings(args).with_folders(message)


def main(argv: Sequence[str] | None = None) -> int:
    # An article's curly quotes or accents on a terminal that cannot show them are
    # replaced, not a UnicodeEncodeError after the answer was written.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from .errors import InvalidOptionError, InvalidQuestionError, RagError

    try:
        commands = {
            "index": cmd_index,
            "add": cmd_add,
            "remove": cmd_remove,
            "watch": cmd_watch,
            "ask": cmd_ask,
            "serve": cmd_serve,
            "milvus-server": cmd_milvus_server,
        }
        return commands[args.command](args)
    except (InvalidQuestionError, InvalidOptionError) as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RagError as exc:
        print(f"rag: {_with_folders(str(exc), args)}", file=sys.stderr)
        return EXIT_SETUP
    except OSError as exc:  # a full disk, a folder that takes no files: said in a line
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"rag: {exc.strerror or exc}{where}; nothing indexed so far is lost", file=sys.stderr)
        return EXIT_SETUP
    except KeyboardInterrupt:
        print("rag: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
