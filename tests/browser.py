"""Playwright on Debian's Chromium (/usr/bin/chromium), headless, in the test's event loop."""

import pytest_asyncio
from playwright.async_api import async_playwright

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium keeps reaching for Google's hosts, which this network refuses.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest_asyncio.fixture
async def browser():
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture
async def page(browser, site, settings):
    """A fresh browser context on the running site (base URL set)."""
    context = await browser.new_context(base_url=settings.site_url)
    tab = await context.new_page()
    yield tab
    await context.close()
