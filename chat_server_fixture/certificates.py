"""Certificates generated at run time, for wss:// servers on 127.0.0.1 (needs ``trustme``).

Nothing here is trusted by the system: a test (or the demo suite) trusts the generated CA
explicitly, with wsitest-steps' ``ws_ca_file`` setting.
"""

from __future__ import annotations

import datetime
import shutil
import ssl
import tempfile
from pathlib import Path


class GeneratedCA:
    """A throwaway certificate authority, with its certificate written to :attr:`ca_file`.

    :meth:`server_context` gives a server-side :class:`ssl.SSLContext` for a certificate this
    CA issued for ``hosts``; ``expired=True`` issues one that expired yesterday. Call
    :meth:`cleanup` (or use it as a context manager) to delete the files.
    """

    def __init__(self) -> None:
        import trustme  # imported here: only TLS servers need it

        self.ca = trustme.CA()
        self.directory = Path(tempfile.mkdtemp(prefix="wsitest-tls-"))
        self.ca_file = str(self.directory / "ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_file)

    def server_context(self, *hosts: str, expired: bool = False) -> ssl.SSLContext:
        hosts = hosts or ("localhost", "127.0.0.1")
        options = {}
        if expired:
            now = datetime.datetime.now(datetime.timezone.utc)
            options = {"not_before": now - datetime.timedelta(days=30), "not_after": now - datetime.timedelta(days=1)}
        certificate = self.ca.issue_cert(*hosts, **options)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        return context

    def cleanup(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> GeneratedCA:
        return self

    def __exit__(self, *exc_info) -> None:
        self.cleanup()
