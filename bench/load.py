"""Load generators: wrk when installed, else a keep-alive HTTP/1.1 client in Python; and a hello world to compare with."""

import asyncio
import dataclasses
import re
import shutil
import subprocess
import sys
import time
from urllib.parse import urlsplit

import tornado.testing

WRK = shutil.which("wrk")
UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


@dataclasses.dataclass
class Result:
    rate: float          # requests a second
    p50: float           # seconds
    p99: float
    failed: int = 0      # socket errors, timeouts and answers other than 2xx/3xx

    def row(self, name: str, hello: "Result | None") -> str:
        ratio = f"{self.rate / hello.rate:6.3f}" if hello else "     -"
        failed = f"  ({self.failed} failed)" if self.failed else ""
        return (f"| {name} | {self.rate:8,.0f} | {ratio} | {self.p50 * 1000:7.1f} ms "
                f"| {self.p99 * 1000:7.1f} ms |{failed}")


def percentiles(seconds: list[float]) -> tuple[float, float]:
    """p50 and p99 of a list of latencies."""
    ordered = sorted(seconds) or [0.0]
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def load(url: str, seconds: float, connections: int, headers: dict | None = None) -> Result:
    """`connections` keep-alive connections asking for `url` as fast as answers come, for `seconds`."""
    if WRK:
        return await _wrk(url, seconds, connections, headers or {})
    return await _python(url, seconds, connections, headers or {})


async def _wrk(url: str, seconds: float, connections: int, headers: dict) -> Result:
    command = [WRK, "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "5s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = await asyncio.to_thread(subprocess.run, [*command, url], capture_output=True, text=True, check=True)
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> Result:
    def latency(percent: str) -> float:
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        return float(found.group(1)) * UNITS[found.group(2)] if found else float("nan")   # no answer at all

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    failed = sum(int(n) for n in errors.groups()) if errors else 0
    return Result(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), latency("50"), latency("99"),
                  failed + (int(non_2xx.group(1)) if non_2xx else 0))


async def _python(url: str, seconds: float, connections: int, headers: dict) -> Result:
    parts = urlsplit(url)
    lines = [f"GET {parts.path or '/'}{'?' + parts.query if parts.query else ''} HTTP/1.1", f"Host: {parts.netloc}",
             *(f"{name}: {value}" for name, value in headers.items())]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    latencies, failures = [], []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(_connection(parts.hostname, parts.port, request, until, latencies, failures)
                           for _ in range(connections)))
    p50, p99 = percentiles(latencies)
    return Result(len(latencies) / seconds, p50, p99, len(failures))


async def _connection(host, port, request: bytes, until: float, latencies: list, failures: list) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = re.search(rb"\r\ncontent-length:\s*(\d+)", head, re.I)
            await reader.readexactly(int(length.group(1)) if length else 0)
            (latencies if status < 400 else failures).append(time.perf_counter() - started)
    except (OSError, asyncio.IncompleteReadError) as error:
        failures.append(error)
    finally:
        writer.close()


class HelloWorld:
    """A bare Tornado "Hello, world" in a child process: the yardstick every row is divided by."""

    SOURCE = ("import sys, asyncio, tornado.web\n"
              "class Hello(tornado.web.RequestHandler):\n"
              "    def get(self): self.write('Hello, world')\n"
              "async def main():\n"
              "    tornado.web.Application([('/', Hello)]).listen(int(sys.argv[1]), '127.0.0.1')\n"
              "    print('ready', flush=True)\n"
              "    await asyncio.Event().wait()\n"
              "asyncio.run(main())\n")

    def __init__(self):
        sock, port = tornado.testing.bind_unused_port()
        sock.close()
        self.url = f"http://127.0.0.1:{port}/"
        self.process = subprocess.Popen([sys.executable, "-c", self.SOURCE, str(port)], stdout=subprocess.PIPE,
                                        text=True)
        assert self.process.stdout.readline().strip() == "ready"

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


async def measure(client, path: str, requests: int, concurrency: int) -> str:
    """`requests` GETs of `path` through a test Client (a new connection each), `concurrency` at a time."""
    latencies = []

    async def worker(count):
        for _ in range(count):
            started = time.perf_counter()
            response = await client.get(path)
            assert response.code == 200, (path, response.code)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker(requests // concurrency) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    p50, p99 = percentiles(latencies)
    return f"{path:45} {len(latencies) / elapsed:8.1f} req/s   p50 {p50 * 1000:6.1f} ms   p99 {p99 * 1000:6.1f} ms"
