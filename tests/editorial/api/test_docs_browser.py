"""The API docs render in a browser that may reach nothing but this site."""

from urllib.parse import urlsplit

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_docs_render_with_every_request_kept_on_this_site(live_server, browser):
    ours = urlsplit(live_server.url).netloc
    elsewhere = []

    def only_ours(route):
        if urlsplit(route.request.url).netloc == ours:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page = browser.new_page()
    page.route("**/*", only_ours)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=20_000)
    operations = page.locator(".opblock-summary-path").all_inner_texts()

    assert elsewhere == []
    assert any("/api/v1/drafts/" in o for o in operations)
    assert len(operations) == 5
