"""From files to passages: one reader per file type, cleaning, sentence packing, and the
corpus of a seeds folder.

``readers.py`` one reader per suffix (and sidecars); ``clean.py`` furniture, repeats and
header lines; ``chunk.py`` paragraphs and bounded passages with exact character spans;
``corpus.py`` loading a folder and cutting its articles into chunks.
"""

from .chunk import bounded, chunk_spans, paragraphs
from .clean import clean, front_matter, is_boilerplate, paragraph_key, split_title
from .corpus import (
    ARTICLE_SUFFIXES,
    Skipped,
    article_text,
    chunk_document,
    ignore_patterns,
    left_out,
    load_corpus,
    read_article,
    read_file,
    repeated_paragraphs,
)
from .readers import DUMP_SUFFIX, READERS, article_file, dump_problems, markdown_to_text, sidecar

__all__ = [
    "ARTICLE_SUFFIXES",
    "READERS",
    "Skipped",
    "DUMP_SUFFIX",
    "article_file",
    "dump_problems",
    "article_text",
    "bounded",
    "chunk_document",
    "chunk_spans",
    "clean",
    "front_matter",
    "ignore_patterns",
    "is_boilerplate",
    "left_out",
    "load_corpus",
    "markdown_to_text",
    "paragraph_key",
    "paragraphs",
    "read_article",
    "read_file",
    "repeated_paragraphs",
    "sidecar",
    "split_title",
]
