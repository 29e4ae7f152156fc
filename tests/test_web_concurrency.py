"""The web app never freezes: slow work runs beside the event loop, and is done only once."""

from __future__ import annotations

import threading

from starlette.testclient import TestClient


def test_pages_answer_while_a_session_renders_and_it_renders_once(client: TestClient) -> None:
    url = "/audio.mp3?routine=standaard&lang=en"
    bodies: list[bytes] = []

    def fetch() -> None:
        bodies.append(client.get(url).content)

    downloads = [threading.Thread(target=fetch) for _ in range(3)]
    for thread in downloads:
        thread.start()
    # While the voice speaks and the encoder works, the pages and files still answer.
    for path in ("/", "/static/style.css", "/journal", "/practice"):
        assert client.get(path).status_code == 200
    assert any(t.is_alive() for t in downloads), "the pages answered before the render ended"
    for thread in downloads:
        thread.join(120)
    assert len(bodies) == 3 and len(set(bodies)) == 1 and len(bodies[0]) > 10_000
    assert client.app.state.assets.renders.made == 1, "three requests, one render"
