"""Django's database sessions, refusing a cookie that cannot be a session key.

Django makes session keys of 32 lowercase letters and digits but looks up whatever the cookie
holds; PostgreSQL refuses a text with a NUL byte outright, so a forged cookie was a 500 on
every request that reads the session (and every request does: the idle-session check)."""

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

SESSION_KEY = re.compile(r"[a-z0-9]{8,40}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(key) and SESSION_KEY.fullmatch(key) is not None
