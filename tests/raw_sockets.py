"""Raw TCP clients for attack tests: sockets that send a little at a time, or never read."""

import asyncio
import base64
import contextlib
import os
import socket


async def connect(port: int, receive_buffer: int | None = None) -> socket.socket:
    """A connection to the site; `receive_buffer` (bytes) keeps the kernel from reading far ahead."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer:
        # Before connecting: it sets the window the server may fill.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    return sock


async def send(sock: socket.socket, data: bytes) -> bool:
    """Send; False once the server has closed the connection."""
    try:
        await asyncio.get_running_loop().sock_sendall(sock, data)
        return True
    except OSError:
        return False


async def read_head(sock: socket.socket, timeout: float = 5) -> bytes:
    """The response's status line and headers (and whatever came in the same read)."""
    loop, data = asyncio.get_running_loop(), b""
    while b"\r\n\r\n" not in data:
        chunk = await asyncio.wait_for(loop.sock_recv(sock, 1024), timeout)
        if not chunk:
            break
        data += chunk
    return data


def status(head: bytes) -> int:
    """The status code of a response head; 0 when there was none."""
    parts = head.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


async def read_until_closed(sock: socket.socket, timeout: float) -> int:
    """Read everything until the server closes; the bytes received. TimeoutError if it never does."""
    loop, received = asyncio.get_running_loop(), 0

    async def drain() -> None:
        nonlocal received
        while True:
            try:
                chunk = await loop.sock_recv(sock, 65536)
            except ConnectionResetError:
                return
            if not chunk:
                return
            received += len(chunk)

    await asyncio.wait_for(drain(), timeout)
    return received


async def open_websocket(port: int, path: str, receive_buffer: int = 4096) -> tuple[int, socket.socket]:
    """The WebSocket handshake and nothing more: (the status, the socket), the socket never read again."""
    sock = await connect(port, receive_buffer)
    key = base64.b64encode(os.urandom(16)).decode()
    await send(sock, (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode())
    return status(await read_head(sock)), sock


def close_all(socks) -> None:
    for sock in socks:
        with contextlib.suppress(OSError):
            sock.close()
