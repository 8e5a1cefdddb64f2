"""Where passages live: the :class:`Store` protocol, the FAISS folder (the default) and
Milvus, the manifest, the index folder's safety rules, and incremental building.

``base.py`` the protocol, filters and what a store indexes per passage; ``manifest.py``
what an index was built from; ``folder.py`` ownership and atomic writes;
``faiss_store.py`` and ``milvus.py`` the two stores (neither imports the other);
``build.py`` building, updating and opening; ``watch.py`` add, remove and watch.
"""

from .base import Candidates, Filter, Scored, Store, bm25_tokens, chunk_terms, embedding_text
from .build import build_index, ensure_index, new_store, open_current, open_store
from .faiss_store import FaissStore
from .folder import VECTORS, check_index_target, damaged_file, is_our_index, remove_leftovers
from .manifest import FORMAT_VERSION, Manifest, read_manifest
from .milvus import MilvusStore
from .milvus import serve as serve_milvus
from .watch import Watcher, add_files, remove_articles, why_not_addable

__all__ = [
    "Candidates",
    "damaged_file",
    "FORMAT_VERSION",
    "FaissStore",
    "Filter",
    "Manifest",
    "MilvusStore",
    "Scored",
    "Store",
    "VECTORS",
    "Watcher",
    "add_files",
    "bm25_tokens",
    "build_index",
    "check_index_target",
    "chunk_terms",
    "embedding_text",
    "ensure_index",
    "is_our_index",
    "new_store",
    "open_current",
    "open_store",
    "read_manifest",
    "remove_articles",
    "why_not_addable",
    "remove_leftovers",
    "serve_milvus",
]
