"""An overview: what the articles are about, in a few cited bullets."""

from __future__ import annotations

from collections.abc import Sequence

from .articles import Article
from .plan import Line, Plan
from .sentences import new_among, on_subject, ranked, shortened

#: Bullets in an overview at most, and at least when the articles have that many sentences.
MOST = 6
FEWEST = 3


def overview(articles: Sequence[Article], subject: Sequence[str]) -> Plan:
    """Each article's lead (or its sentence most on the question's subject), one per
    article before a second from any, most important article first; then more of each
    until :data:`FEWEST`-:data:`MOST` bullets. The same sentence from two outlets is
    given once. A line names the articles used."""
    if not articles:
        return Plan("overview", reason="no article matches the question")
    articles = [a.neutral() for a in articles]
    total = min(MOST, max(FEWEST, len(articles)))
    queues = [ranked(a, subject) for a in articles]
    if subject:
        # Articles that never mention the subject have nothing to add to its overview.
        keep = [i for i, q in enumerate(queues) if q and on_subject(q[0], subject)]
        queues = [queues[i] for i in keep] or queues
    lines: list[Line] = []
    used: list[Article] = []
    while len(lines) < total and any(queues):
        for queue in queues:
            while queue:
                q = queue.pop(0)
                if new_among(q.text, (line.text for line in lines)):
                    lines.append(Line(shortened(q.shown), (q.passage,)))
                    article = next(a for a in articles if a.doc_id == q.passage.doc_id)
                    if article not in used:
                        used.append(article)
                    break
            if len(lines) >= total:
                break
    footer = "Articles: " + "; ".join(a.describe() for a in used)
    return Plan("overview", tuple(lines), footer=footer)
