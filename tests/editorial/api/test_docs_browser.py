"""The API docs render in a browser that may reach nothing but this site."""

from urllib.parse import urlsplit

import pytest
from django.db import connections

from tests.conftest import CHROMIUM


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_docs_render_with_every_request_kept_on_this_site(live_server, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # this test only: it must not leak

    ours = urlsplit(live_server.url).netloc
    elsewhere = []

    def only_ours(route):
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            page.route("**/*", only_ours)
            page.goto(f"{live_server.url}/api/v1/docs/")
            page.wait_for_selector(".opblock", timeout=20_000)
            operations = page.locator(".opblock-summary-path").all_inner_texts()
        finally:
            browser.close()
            connections.close_all()

    assert elsewhere == []
    assert any("/api/v1/drafts/" in o for o in operations)
    assert len(operations) == 5
