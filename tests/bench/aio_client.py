"""A lighter client for the benchmarks' simulated devices: aiohttp behind the few parts of
httpx's AsyncClient the harness uses (``request``, ``get``, ``post``, ``aclose``; a response's
``status_code``, ``text``, ``headers``, ``json()``).

Why: the load generator shares the machine's two cores with the server it measures. httpx
(pure Python HTTP) takes about 1.8-2.0 ms of client CPU per request on this machine, aiohttp
(llhttp, in C) about 0.35 ms (`python -m tests.bench.aio_client`, against a bare waitress). In
the room of 1,000 phones that is half a core the server did not get; real phones bring their
own CPU. Errors are raised as httpx's (``httpx.HTTPError``), so the harness' handling and its
tally of error names stay as they are.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
from typing import Any

import aiohttp
import httpx


class Response:
    """What the harness reads of an answer; the body is read whole before it returns."""

    __slots__ = ("status_code", "headers", "content", "_text")

    def __init__(self, status: int, headers, content: bytes, charset: str | None):
        self.status_code = status
        self.headers = headers  # case-insensitive, like httpx's
        self.content = content
        self._text = content.decode(charset or "utf-8", errors="replace")

    @property
    def text(self) -> str:
        return self._text

    def json(self) -> Any:
        return jsonlib.loads(self.content)


def _as_httpx_error(e: BaseException) -> httpx.HTTPError:
    """The httpx error a request that failed like this would have raised."""
    if isinstance(e, asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout(str(e) or "timed out")
    if isinstance(e, aiohttp.ClientConnectorError):
        return httpx.ConnectError(str(e))
    if isinstance(e, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return httpx.RemoteProtocolError(str(e))
    if isinstance(e, aiohttp.ClientOSError):
        return httpx.ReadError(str(e))
    return httpx.TransportError(f"{type(e).__name__}: {e}")


class Client:
    """One simulated device: its own cookie jar and ``connections`` connections, no redirects
    followed, ``timeout`` seconds per request (as ``harness.make_client``)."""

    def __init__(self, base: str, timeout: float = 30.0, connections: int = 1):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.connections = connections
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        # Made on first use, inside the running loop (aiohttp binds a session to its loop).
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.connections, keepalive_timeout=2.0),
                cookie_jar=aiohttp.CookieJar(unsafe=True),  # the server is an IP address
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            )
        return self._session

    async def request(self, method: str, url: str, *, params: dict | None = None,
                      data: dict | list | None = None, headers: dict | None = None,
                      timeout: float | None = None) -> Response:
        if not url.startswith(("http://", "https://")):
            url = self.base + url
        options: dict[str, Any] = {"allow_redirects": False}
        if params is not None:
            options["params"] = {k: str(v) for k, v in params.items()}
        if data is not None:
            options["data"] = data
        if headers is not None:
            options["headers"] = headers
        if timeout is not None:
            options["timeout"] = aiohttp.ClientTimeout(total=timeout)
        try:
            async with self._open().request(method, url, **options) as r:
                content = await r.read()
                return Response(r.status, r.headers, content, r.charset)
        except (TimeoutError, aiohttp.ClientError) as e:
            raise _as_httpx_error(e) from e

    async def get(self, url: str, **kw) -> Response:
        return await self.request("GET", url, **kw)

    async def post(self, url: str, **kw) -> Response:
        return await self.request("POST", url, **kw)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _compare(requests: int = 4000, devices: int = 64) -> None:
    """Client CPU per request, httpx against this client, on a bare waitress answering 204."""
    import socket
    import subprocess
    import sys
    import time

    from .harness import make_client, wait_port

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-c", (
        "from waitress import serve\n"
        "def app(environ, start):\n"
        "    start('204 No Content', [])\n"
        "    return [b'']\n"
        f"serve(app, host='127.0.0.1', port={port}, threads=8, _quiet=True)\n")],
        stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        base = f"http://127.0.0.1:{port}"

        async def run(make) -> None:
            clients = [make(base) for _ in range(devices)]

            async def device(c) -> None:
                for _ in range(requests // devices):
                    await c.get("/w/ABCD/status", params={"v": 1, "s": 2})

            await asyncio.gather(*(device(c) for c in clients))
            for c in clients:
                await c.aclose()

        for name, make in [("httpx", make_client), ("aiohttp", Client)] * 2:
            cpu = time.process_time()
            asyncio.run(run(make))
            print(f"{name:8} {(time.process_time() - cpu) * 1000 / requests:.3f} ms of "
                  "client CPU per request")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    _compare()
