"""Django's PostgreSQL backend behind `bpdialogue.outage.database_circuit` (settings.DATABASES
names this module as the ENGINE): while the circuit is open a request that needs a connection
is refused at once with the OperationalError an unreachable server raises, which the outage
middleware answers with a 503; nothing waits for a pool timeout."""

from __future__ import annotations

import socket
import threading

from django.db.backends.postgresql import base

from bpdialogue.outage import database_circuit

# How long the one request that tries again waits for the server to accept a TCP connection.
PROBE_TIMEOUT_SECONDS = 0.5


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if not database_circuit.allows():
            raise self.Database.OperationalError("the database was unreachable a moment ago")
        trying_again = database_circuit.is_open
        with database_circuit.attempt(failures=(self.Database.OperationalError,)):
            if trying_again and not self._server_listens():
                raise self.Database.OperationalError("the database server does not listen")
            try:
                return super().get_new_connection(conn_params)
            except self.Database.OperationalError:
                self._pool_discard()
                raise

    def _server_listens(self) -> bool:
        """Whether the server accepts a TCP connection: refused at once while PostgreSQL is
        stopped, where a fresh pool would wait out its whole timeout, and every web worker
        tries again at the same moment (their circuits opened together). A socket path or a
        list of hosts is left to the pool."""
        host = self.settings_dict["HOST"]
        if not host or host.startswith("/") or "," in host:
            return True
        port = int(self.settings_dict["PORT"] or 5432)
        try:
            socket.create_connection((host, port), timeout=PROBE_TIMEOUT_SECONDS).close()
        except OSError:
            return False
        return True

    def _pool_discard(self) -> None:
        """A pool that cannot connect keeps trying in the background on a growing back-off
        (attempts a minute apart after a while), which would hold service back long after the
        database returns: the next try starts a fresh pool. The old one is closed in the
        background, since its workers may be inside a connect timeout."""
        pool = self._connection_pools.pop(self.alias, None)
        if pool is not None:
            threading.Thread(target=pool.close, name="pool-discard", daemon=True).start()
