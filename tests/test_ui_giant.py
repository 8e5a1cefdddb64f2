"""Issue 9: a 200 kB one-line article no longer wedges the chat. A question that
retrieves it is answered, and another client's question is answered meanwhile."""

import shutil
import threading

import pytest

from .conftest import SEEDS
from .uiserver import running_ui

pytestmark = [pytest.mark.model]


def test_a_giant_one_line_file_does_not_wedge_the_server(tmp_path):
    from gradio_client import Client

    from eval.soak import GIANT_QUESTION, write_giant

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    write_giant(seeds, 200)
    with running_ui(seeds, tmp_path / "index", tmp_path / "ui.log") as url:
        results: dict[str, dict] = {}

        def ask(name: str, question: str) -> None:
            results[name] = Client(url, verbose=False).predict(question, [], api_name="/ask")

        giant = threading.Thread(target=ask, args=("giant", GIANT_QUESTION))
        other = threading.Thread(target=ask, args=("other", "How many instructors came with the Russian equipment?"))
        giant.start()
        other.start()
        giant.join(timeout=600)
        other.join(timeout=600)
        assert set(results) == {"giant", "other"}, "a request did not come back"
        assert results["other"]["error"] is None and "100" in results["other"]["answer"]
        assert results["giant"]["error"] is None
        # Every passage the giant question saw is bounded (a window around a hit in a long
        # article takes at most a third of the passage budget), as is what the model was given.
        from rag import Settings

        passages = results["giant"]["citations"] or results["giant"]["closest"]
        assert passages and all(len(p["text"]) <= Settings().max_passage_chars // 3 for p in passages)
