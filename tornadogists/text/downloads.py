"""What a download carries: a file name the browser keeps exactly, a gist's files as one ZIP."""

import io
import urllib.parse
import zipfile

__all__ = ["attachment", "file_size", "zip_files", "ZIP_TIME"]

# Every ZIP of the same files is the same bytes (whichever process built it, whenever): one date for all.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def attachment(filename: str) -> str:
    """A `Content-Disposition` value saving as `filename` (RFC 6266): `filename*` carries it exactly
    (RFC 5987, UTF-8 percent-encoded); `filename` is an ASCII stand-in for old clients."""
    fallback = "".join(char if " " <= char <= "~" and char not in '"\\%' else "_" for char in filename)
    return f"attachment; filename=\"{fallback or 'download'}\"; filename*=UTF-8''{urllib.parse.quote(filename, safe='')}"


def file_size(size: int) -> str:
    """A size as a file list says it: 512 bytes, 1.2 kB, 3.4 MB (powers of 1,000, as GitHub shows them)."""
    if size < 1000:
        return f"{size} byte{'' if size == 1 else 's'}"
    for unit in ("kB", "MB"):
        size /= 1000
        if size < 1000 or unit == "MB":
            return f"{size:.1f} {unit}"


def zip_files(folder: str, files: list[tuple[str, str]]) -> bytes:
    """(name, text) pairs as a ZIP with each file under `folder/`, UTF-8, deflated. CPU-heavy: run in an executor."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files:
            # GitHub keeps "/" out of gist file names; should one come, it unpacks inside `folder` all the same.
            safe = name.replace("/", "_").replace("\\", "_")
            info = zipfile.ZipInfo(f"{folder}/{'_' if safe in ('.', '..') else safe}", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16   # rw-r--r-- when unpacked
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()
