"""The C allocator under the model's tensors: how many heaps (arenas) it keeps.

glibc's malloc gives each new thread an arena of its own on its first allocation, up to
eight per core, and memory freed in one arena serves only the threads using it. Questions
asked at once run the model from several threads (each question's check in its own thread,
each answer in a worker thread), so each of them ends up holding its own freed activations
and key/value caches: with 4 questions at once the answering process peaked about 300 MB
higher (docs/performance.md, "Where the memory goes"). The model runs one pass at a time,
so two arenas cost nothing in contention.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

#: Arenas kept (``MALLOC_ARENA_MAX`` in the environment wins).
ARENAS = 2
_M_ARENA_MAX = -8  # glibc's mallopt() parameter number (malloc.h)


def keep_few_arenas(arenas: int = ARENAS) -> bool:
    """Let glibc's malloc create no arenas past ``arenas`` from now on (threads that have
    one keep it). glibc fixes its limit for good once a process has made more than eight
    arenas, so the model loaders call this before they load: in the chat and ``rag serve``
    that is before the server starts its threads. Returns whether the limit was asked
    for: not where the C library is not glibc, nor when ``MALLOC_ARENA_MAX`` is set,
    which says the user chose."""
    if "MALLOC_ARENA_MAX" in os.environ or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt, version = libc.mallopt, libc.gnu_get_libc_version  # glibc only (musl's mallopt does nothing)
    except (OSError, AttributeError):
        return False
    version.restype = ctypes.c_char_p
    done = bool(mallopt(_M_ARENA_MAX, arenas))
    log.debug("glibc %s: malloc arenas limited to %d: %s", version().decode(), arenas, done)
    return done
