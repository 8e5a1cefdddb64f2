"""The ``rag`` command: ``rag index`` builds the index, ``rag ask`` answers a question.

Exit codes: 0 success (a refusal is a successful answer), 1 a problem with the setup
(missing/stale index, model load failure, no articles), 2 bad usage or a bad question.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Sequence

EXIT_OK, EXIT_SETUP, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rag", description="Offline question answering over news articles.")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = p.add_subparsers(dest="command", required=True)

    ix = sub.add_parser("index", help="build or update the index from the articles folder")
    ix.add_argument("--seeds", type=Path, help="articles folder (default: seeds/)")
    ix.add_argument("--index", type=Path, help="index folder (default: index/)")

    ask = sub.add_parser("ask", help="answer a question from the indexed articles")
    ask.add_argument("question", help="the question, in quotes")
    ask.add_argument("--seeds", type=Path, help="articles folder (default: seeds/)")
    ask.add_argument("--index", type=Path, help="index folder (default: index/)")
    ask.add_argument("--top-k", type=int, help="passages given to the model (default 3, plus one of another article when those all share one)")
    ask.add_argument("--json", action="store_true", help="print the whole answer as JSON")
    return p


def _settings(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .config import Settings

    return Settings.from_env(seeds_dir=args.seeds, index_dir=args.index)


def cmd_index(args: argparse.Namespace) -> int:
    from .corpus import load_corpus
    from .embed import load_embedder
    from .index import build_index

    settings = _settings(args)
    docs, skipped = load_corpus(settings.seeds_dir)
    index, stats = build_index(
        settings, load_embedder(settings.embedder, settings.threads),
        docs=docs, skipped=skipped, progress=True,
    )
    # Skipped and flagged files were each logged once, by name, as they were found.
    print(
        f"Indexed {stats['documents']} article(s) into {stats['chunks']} passages "
        f"({stats['embedded']} embedded, {stats['reused']} reused) in {settings.index_dir}"
        + (f"; {len(skipped)} file(s) skipped" if skipped else "")
        + (f"; {len(index.manifest.flagged)} with text addressed to the model" if index.manifest.flagged else "")
    )
    return EXIT_OK


def cmd_ask(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline
    from .types import Answer

    pipeline = Pipeline(_settings(args), progress=True)
    options = {"top_k": args.top_k} if args.top_k else {}
    final: Answer = pipeline.answer(args.question, **options)
    if args.json:
        print(json.dumps(asdict(final), indent=2, ensure_ascii=False))
        return EXIT_USAGE if final.error else EXIT_OK
    if final.error:
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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from .errors import InvalidQuestionError, RagError

    try:
        return {"index": cmd_index, "ask": cmd_ask}[args.command](args)
    except InvalidQuestionError as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RagError as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return EXIT_SETUP
    except KeyboardInterrupt:
        print("rag: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
