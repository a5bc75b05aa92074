"""Numbered pages: which page numbers a pager shows, and each page's query string."""

from urllib.parse import urlencode

AROUND = 2   # numbers shown either side of the current page


def page_numbers(page: int, pages: int) -> list[int | None]:
    """1, the pages around `page`, and the last; None where numbers are left out (an ellipsis)."""
    shown = sorted({1, pages, *range(max(1, page - AROUND), min(pages, page + AROUND) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def page_query(args: dict, number: int) -> str:
    """The query string of page `number`: the first page has none of its own (one URL per page)."""
    return "?" + urlencode({**args, **({"page": number} if number > 1 else {})})
