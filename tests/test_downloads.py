"""Taking a gist away: a file saved under its own name, the gist as one ZIP, the clone URL."""

import io
import zipfile
from urllib.parse import quote

from tornadogists.text.downloads import attachment, file_size

HELLO = "aa5a315d61ae9438b18d"
UNICODE = "bb6b426e72bf0549c29e"


async def imported(signed_in, gist_id):
    assert (await signed_in.post("/gists", {"url": gist_id})).code == 303


async def test_a_file_downloads_under_its_own_name(signed_in, client, fake_github):
    await imported(signed_in, UNICODE)
    name = "héllo wörld.py"
    response = await client.get(f"/gists/{UNICODE}/download/{quote(name)}")
    assert response.code == 200
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"h_llo w_rld.py\"; filename*=UTF-8''h%C3%A9llo%20w%C3%B6rld.py")
    raw = await client.get(f"/gists/{UNICODE}/raw/{quote(name)}")
    assert "Content-Disposition" not in raw.headers
    assert response.body == raw.body


def test_a_name_cannot_break_out_of_its_header():
    value = attachment('a"b\\c%d\r\nSet-Cookie: x=1;.txt')
    assert "\r" not in value and "\n" not in value
    assert value.startswith('attachment; filename="a_b_c_d__Set-Cookie: x=1;.txt"; filename*=UTF-8\'\'')
    assert value.endswith("a%22b%5Cc%25d%0D%0ASet-Cookie%3A%20x%3D1%3B.txt")
    assert attachment("日本語.txt") == "attachment; filename=\"___.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC%E8%AA%9E.txt"


async def test_the_zip_holds_the_files_as_shown(signed_in, client, fake_github):
    await imported(signed_in, UNICODE)
    page = (await client.get(f"/gists/{UNICODE}")).text
    assert f'href="/gists/{UNICODE}.zip"' in page
    response = await client.get(f"/gists/{UNICODE}.zip")
    assert response.code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"].startswith(f'attachment; filename="{UNICODE}.zip"')
    archive = zipfile.ZipFile(io.BytesIO(response.body))
    names = archive.namelist()
    shown = {}
    for name in ("héllo wörld.py", "日本語.txt", "big.js", "pixel.png"):
        raw = await client.get(f"/gists/{UNICODE}/raw/{quote(name)}")
        if raw.code == 200:
            shown[f"{UNICODE}/{name}"] = raw.body
    assert f"{UNICODE}/pixel.png" not in shown   # a binary file is not shown, nor zipped
    assert sorted(names) == sorted(shown)
    assert {name: archive.read(name) for name in names} == shown
    again = await client.get(f"/gists/{UNICODE}.zip")
    assert again.body == response.body   # built once per version: the same bytes


async def test_a_download_of_an_unknown_gist_or_file_is_a_404(signed_in, client):
    await imported(signed_in, HELLO)
    assert (await client.get(f"/gists/{HELLO}/download/nope.py")).code == 404
    assert (await client.get("/gists/0123456789abcdef0123.zip")).code == 404


async def test_the_page_offers_each_way_to_take_the_code(signed_in, client):
    await imported(signed_in, HELLO)
    page = (await client.get(f"/gists/{HELLO}")).text
    assert f'href="/gists/{HELLO}/download/hello.py"' in page
    assert f'value="https://gist.github.com/{HELLO}.git"' in page


async def test_a_gist_of_several_files_lists_them_with_language_lines_and_size(signed_in, client):
    await imported(signed_in, UNICODE)
    page = (await client.get(f"/gists/{UNICODE}")).text
    nav = page[page.index('<nav class="gist-files"'):page.index("</nav>", page.index('<nav class="gist-files"'))]
    assert "<strong>4 files</strong>" in nav
    assert nav.count("<li>") == 4
    assert '<a href="#file-h-llo-w-rld-py">héllo wörld.py</a>' in nav
    assert '<a href="#file-pixel-png">pixel.png</a>' in nav
    assert 'id="file-h-llo-w-rld-py"' in page   # each entry lands on its file


def test_sizes_read_as_a_file_list_says_them():
    assert [file_size(n) for n in (0, 1, 999, 1000, 1234, 999_949, 2_500_000, 7_000_000_000)] == [
        "0 bytes", "1 byte", "999 bytes", "1.0 kB", "1.2 kB", "999.9 kB", "2.5 MB", "7000.0 MB"]
