"""How every evaluation document reads: headline, outlet, date and a fingerprint of its
text and passages. Run it before and after a change to the readers (``rag/ingest``): a
rule that reads one article better must read the others as before.

    python -m eval.reading --out /tmp/before.json          # before the change
    python -m eval.reading --against /tmp/before.json      # after: lists what reads otherwise

The documents are those of the sets in ``eval/`` (and any other set files given), written
out as the eval writes them, and the article folders beside the sets.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from rag.ingest import chunk_document, load_corpus

from .__main__ import load_cases, write_documents

HERE = Path(__file__).resolve().parent


def snapshot(sets: list[Path]) -> dict[str, list[str]]:
    """``folder/article id`` -> [title, source, published, sha of text, sha of passages]."""
    out: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="rag-reading-") as tmp:
        folders = [p for p in HERE.iterdir() if p.is_dir() and any(p.glob("*.*")) and p.name not in ("results",)]
        for path in sets:
            for case in load_cases(path):
                if case.get("documents"):
                    folder = Path(tmp) / f"{path.stem}-{case['id']}"
                    write_documents(case["documents"], folder)
                    folders.append(folder)
        for folder in folders:
            docs, _ = load_corpus(folder)
            for d in docs:
                passages = "\n".join(c.text for c in chunk_document(d, 420, 1))
                out[f"{folder.name}/{d.doc_id}"] = [d.title, d.source, d.published, _sha(d.text), _sha(passages)]
    return out


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.reading", description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", type=Path, help="more set files (eval/*.jsonl are always read)")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the snapshot here")
    group.add_argument("--against", type=Path, help="compare with a snapshot written before")
    args = parser.parse_args(argv)
    # Exit 1 means "documents read otherwise": a file problem is 2, said in a line.
    try:
        before = json.loads(args.against.read_text(encoding="utf-8")) if args.against else {}
        if not isinstance(before, dict):
            raise ValueError("not a snapshot written by --out")
        now = snapshot(sorted(HERE.glob("*.jsonl")) + args.sets)
        if args.out:
            args.out.write_text(json.dumps(now, indent=0), encoding="utf-8")
            print(f"{len(now)} documents read; written to {args.out}")
            return 0
    except (OSError, ValueError) as exc:  # CaseError is a ValueError
        print(f"python -m eval.reading: {exc}", file=sys.stderr)
        return 2
    changed = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
    for key in changed:
        print(f"{key}: {before.get(key)} -> {now.get(key)}")
    print(f"{len(changed)} of {len(now)} documents read otherwise")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
