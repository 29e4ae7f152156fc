"""`ontspan serve`: the web app on this computer, or with --lan for a phone on the home network."""

from __future__ import annotations

import ipaddress
import socket

import click

from ontspan.core.errors import OntspanError
from ontspan.core.i18n import N_
from ontspan.interfaces.helptext import SpokenCommand


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lan_address() -> str:
    """The address other devices on the network reach this computer by (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET: only picks the outgoing interface
            return str(probe.getsockname()[0])
        except OSError:
            raise OntspanError("--lan: this computer has no network address") from None


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def qr_text(link: str) -> str:
    """The link as a QR code drawn with block characters, for a phone's camera."""
    import io

    import segno

    out = io.StringIO()
    segno.make(link, error="m").terminal(out=out, compact=True)
    return out.getvalue()


@click.command(cls=SpokenCommand, help=N_(
    "The web app: practice, journal, safety and plan in your browser (stays on this "
    "computer)."))
@click.option("--host", default="127.0.0.1", show_default=True,
              help=N_("Loopback address to listen on (127.0.0.1, ::1, localhost)."))
@click.option("--lan", is_flag=True,
              help=N_("Reachable from your home network: only devices paired with the link or "
                   "QR code shown here get in."))
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help=N_("Port (default: a free one)."))
@click.option("--no-browser", is_flag=True, help=N_("Do not open a browser."))
@click.option("--practice", is_flag=True,
              help=N_("For a practice: therapists and clients log in (see `ontspan account`); "
                   "use PostgreSQL (ONTSPAN_DATABASE_URL) and a TLS reverse proxy."))
@click.option("--workers", type=click.IntRange(1, 64), default=1,
              help=N_("With --practice: worker processes sharing the database."))
@click.option("--public-host", "public_hosts", multiple=True,
              help=N_("With --practice: the host name people use, e.g. ontspan.praktijk.nl."))
@click.option("--https", "secure", is_flag=True,
              help=N_("With --practice: behind HTTPS (cookies are sent over TLS only)."))
def serve(host: str, lan: bool, port: int, no_browser: bool, practice: bool, workers: int,
          public_hosts: tuple[str, ...], secure: bool) -> None:
    import webbrowser

    import uvicorn

    from ontspan import paths
    from ontspan.core import i18n
    from ontspan.web.app import create_app, web_text
    from ontspan.web.security import LOOPBACK, Pairing

    lang = i18n.lang()
    if practice:
        import os

        from ontspan.store.db import open_engine

        open_engine().dispose()  # migrate once, here, before the workers start
        os.environ["ONTSPAN_ALLOWED_HOSTS"] = ",".join(public_hosts)
        os.environ["ONTSPAN_SECURE_COOKIES"] = "1" if secure else ""
        click.echo(web_text("serve.at", lang).format(url=f"http://{url_host(host)}:{port or 8000}/"))
        uvicorn.run("ontspan.web.practice_app:app", factory=True, host=host, port=port or 8000,
                    workers=workers, log_level="warning", proxy_headers=True)
        return
    if not lan and not _is_loopback(host):
        raise OntspanError(web_text("serve.use_lan", lang).format(host=host))
    bind = ("0.0.0.0" if host == "127.0.0.1" else host) if lan else host
    listener = _listen(bind, port, lang)
    port = listener.getsockname()[1]
    if not lan:
        url = f"http://{url_host(host)}:{port}/"
        click.echo(web_text("serve.at", lang).format(url=url))
        if not no_browser:
            webbrowser.open(url)
        app = create_app(allowed_hosts=[*LOOPBACK, host])
    else:
        address = lan_address() if bind in ("0.0.0.0", "::") else bind

        def show(link: str) -> None:
            click.echo(qr_text(link))
            click.echo(web_text("serve.pair", lang).format(link=link), nl=True)

        def paired(link: str) -> None:
            click.echo(web_text("serve.paired", lang))
            show(link)

        pairing = Pairing(f"http://{url_host(address)}:{port}", on_paired=paired,
                          store=paths.config_dir() / "paired-devices.json")
        click.echo(web_text("serve.lan", lang).format(address=address))
        if not no_browser:  # this computer pairs itself; the terminal then shows a fresh link
            webbrowser.open(pairing.link)
        else:
            show(pairing.link)
        # The Host check stays on: only this computer's own address and loopback names.
        app = create_app(allowed_hosts=[*LOOPBACK, address], pairing=pairing)
    with listener:
        # Server.run, unlike uvicorn.run, passes Ctrl-C on after a clean shutdown: the CLI's
        # guard then ends with the interrupted status, like every other command.
        uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listener])


def _listen(bind: str, port: int, lang: str) -> socket.socket:
    """The listening socket, before any URL is shown: a port in use would send the browser to
    another program. uvicorn serves on this very socket, so nothing can take the port between."""
    import errno

    from ontspan.web.app import web_text

    listener = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((bind, port))
        listener.listen(128)  # a browser that comes before uvicorn is ready waits, not fails
    except OSError as exc:
        listener.close()
        key = "serve.port_in_use" if exc.errno == errno.EADDRINUSE else "serve.cannot_listen"
        raise OntspanError(web_text(key, lang).format(host=bind, port=port,
                                                      reason=exc.strerror)) from None
    return listener
