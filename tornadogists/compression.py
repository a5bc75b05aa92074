"""Gzip done once per cached page, not per view: a 6,000-line page is 1 MB of HTML, 7 s on a phone's 3G."""

import struct
import zlib

LEVEL = 6
HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"   # gzip, deflate, no name, no time, unknown OS
FINAL_BLOCK = b"\x03\x00"   # an empty last deflate block: what zlib ends a stream with after a full flush


def accepts_gzip(accept_encoding: str) -> bool:
    """True when the client's Accept-Encoding takes gzip (and does not refuse it with q=0)."""
    for item in accept_encoding.lower().split(","):
        name, _, params = item.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _deflate(data: bytes) -> bytes:
    """Raw deflate blocks ending in a full flush: they join any other such blocks, before or after."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


class GzipPieces:
    """A page cut at the slots where each view puts its own text (a form token): every piece
    deflated once; a view deflates only its few bytes and frames the whole as one gzip stream."""

    def __init__(self, pieces: list[bytes]):
        self.pieces = pieces
        self.deflated = [_deflate(piece) for piece in pieces]

    def gzip(self, filling: bytes = b"") -> bytes:
        """The pieces joined by `filling`, gzipped (the same bytes as `filling.join(pieces)` once unzipped)."""
        between = _deflate(filling) if filling else b""
        crc = size = 0
        for n, piece in enumerate(self.pieces):
            if n:
                crc, size = zlib.crc32(filling, crc), size + len(filling)
            crc, size = zlib.crc32(piece, crc), size + len(piece)
        return b"".join((HEADER, between.join(self.deflated), FINAL_BLOCK, struct.pack("<II", crc, size & 0xFFFFFFFF)))
