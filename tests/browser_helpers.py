"""What the browser tests share: Debian's Chromium (or a skip where there is none) and the
web app served by a real uvicorn on a free local port."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("ONTSPAN_SCREENSHOTS", "/tmp/ontspan-screens"))


def need_chromium() -> None:
    """Skip the calling test module where there is no Chromium, unless CI demands one."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("ONTSPAN_REQUIRE_BROWSER"):
            raise RuntimeError("ONTSPAN_REQUIRE_BROWSER is set but there is no chromium")
        pytest.skip("no chromium here (.ci/run installs Debian's)", allow_module_level=True)


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """`app` on a real uvicorn in a thread; yields its base URL, stops it afterwards."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start in 10 s"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)
