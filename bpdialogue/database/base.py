"""Django's PostgreSQL backend behind `bpdialogue.outage.database_circuit` (settings.DATABASES
names this module as the ENGINE): while the circuit is open a request that needs a connection
is refused at once with the OperationalError an unreachable server raises, which the outage
middleware answers with a 503; nothing waits for a pool timeout."""

from __future__ import annotations

import threading

from django.db.backends.postgresql import base

from bpdialogue.outage import database_circuit


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if not database_circuit.allows():
            raise self.Database.OperationalError("the database was unreachable a moment ago")
        with database_circuit.attempt(failures=(self.Database.OperationalError,)):
            try:
                return super().get_new_connection(conn_params)
            except self.Database.OperationalError:
                self._pool_discard()
                raise

    def _pool_discard(self) -> None:
        """A pool that cannot connect keeps trying in the background on a growing back-off
        (attempts a minute apart after a while), which would hold service back long after the
        database returns: the next try starts a fresh pool. The old one is closed in the
        background, since its workers may be inside a connect timeout."""
        pool = self._connection_pools.pop(self.alias, None)
        if pool is not None:
            threading.Thread(target=pool.close, name="pool-discard", daemon=True).start()
