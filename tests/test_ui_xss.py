"""An article carrying HTML/JS is shown as text: nothing in it runs in the page."""

import contextlib
import shutil

import pytest

from .conftest import SEEDS
from .uiserver import ARTIFACTS, launch_browser, running_ui

pytestmark = [pytest.mark.model, pytest.mark.browser]

EVIL_TITLE = 'Harbour <script>window.__xss="title"</script><img src=x onerror="window.__xss=\'img-title\'"> reopens'
EVIL_BODY = (
    "The harbour of Port Evil reopened on Tuesday after repairs, the mayor said. "
    '<img src=x onerror="window.__xss=\'img-body\'"> <script>window.__xss="body"</script> '
    "<a href=\"javascript:window.__xss='link'\">click</a> The repairs cost 40 million dollars. "
    "Tickets at https://evil.example/t?x=1_(a), www.evil.example or pay@evil.example."
)


def test_html_in_articles_is_rendered_as_text(tmp_path):
    from playwright.sync_api import sync_playwright

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "evil.txt").write_text(EVIL_TITLE + "\n\n" + EVIL_BODY + "\n", encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with running_ui(seeds, tmp_path / "index", tmp_path / "ui.log") as url, sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(url)
        page.wait_for_selector("#question textarea")
        page.fill(
            "#question textarea",
            "When did the harbour of Port Evil reopen? <img src=x onerror=\"window.__xss='question'\">",
        )
        page.click("#ask")
        page.wait_for_function(
            "document.querySelector('#status').innerText.match(/Answered in|Not in the articles/)",
            timeout=180_000,
        )
        # Open every source panel so its content is rendered.
        for title in page.locator("#chat button:has-text('evil.txt'), #chat span:has-text('evil.txt')").all():
            with contextlib.suppress(Exception):  # a panel that is already open cannot be clicked
                title.click(timeout=2000)
        page.wait_for_timeout(1000)
        chat = page.inner_text("#chat")
        assert "evil.txt" in chat, chat
        assert "<script>" in chat or "onerror" in chat, "the markup is shown as text"
        assert page.evaluate("window.__xss") is None
        assert page.locator("#chat script").count() == 0
        assert page.locator("#chat img").count() == 0  # not even without its handler
        titles = " ".join(
            page.locator("#chat button:has-text('evil.txt'), #chat span:has-text('evil.txt')").all_inner_texts()
        )
        assert "<img" in titles or "<script>" in titles, titles  # the headline's markup, shown as text
        assert page.locator("#chat a[href^='javascript']").count() == 0
        assert page.locator("#chat a[href*='evil.example']").count() == 0  # addresses stay text
        assert "https://evil.example/t?x=1_(a)" in chat.replace("\u2060", "")  # as written, no backslashes
        assert dialogs == []
        assert "<script>" in page.inner_text("#articles") or "script" in page.inner_text("#articles")
        page.screenshot(path=str(ARTIFACTS / "chat-xss.png"), full_page=True)
        browser.close()
