"""The one settings module. Everything that differs between a laptop and production is read
from the environment; with nothing set the project runs on SQLite with Celery tasks executed
eagerly in-process, so `make run` needs no services."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from bpdialogue.task_queue import RequestIdIntegration

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, so the admin's forms see each translated field's language columns.
    "modeltranslation",
    "bpdialogue.apps.SuperuserAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "django_guid",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "bpdialogue",
    "participants",
    "meetings",
    "projects",
    "workplans",
    "portal",
    "secretariat",
    "demo",
]

MIDDLEWARE = [
    # First, so every line logged while a request runs carries its id (LOGGING below).
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # /healthz, before anything that reads the session (and so the database).
    "bpdialogue.health.LivenessMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bpdialogue.site.SiteOriginMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the URL for pages (/ru/...), negotiated for the API and feeds.
    "bpdialogue.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A secretariat session unused for SECRETARIAT_SESSION_IDLE_SECONDS ends (bpdialogue/signin.py).
    "bpdialogue.signin.SecretariatIdleSessionMiddleware",
    # Whether the session was verified with a second factor, then the rule that asks the
    # secretariat for it (bpdialogue/twofactor.py).
    "django_otp.middleware.OTPMiddleware",
    "bpdialogue.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a sign-in django-axes refused into its lockout page (bpdialogue.signin.locked_out).
    "axes.middleware.AxesMiddleware",
    # Last, so a view's database error becomes a 503 before any other middleware sees it.
    "bpdialogue.outage.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "bpdialogue.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bpdialogue.context_processors.viewer",
            ],
        },
    }
]

# Without DATABASE_URL: SQLite in the project folder. With a PostgreSQL URL: psycopg 3 and
# Django's built-in connection pool (which requires CONN_MAX_AGE = 0), behind the outage circuit
# (bpdialogue/database/base.py: a request is refused at once while the database is away).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "bpdialogue.database"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # Fail fast: a request waits at most the pool timeout for a connection (a web worker
    # serves one request at a time, so it never waits for another's); libpq's connect timeout
    # (2 s, the least it takes) only bounds the pool's own attempts in the background.
    options.setdefault("connect_timeout", 2)
    options["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "10")),
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "0.5")),
    }
    # The pool tests each connection before lending it (one empty round trip), so connections
    # broken by a PostgreSQL restart are replaced instead of failing requests afterwards.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters bound by the server, and a statement run PREPARE_THRESHOLD times on a pooled
    # connection prepared there: the API's joins were planned anew on every request (planning
    # cost more than running them). Off (DATABASE_SERVER_SIDE_BINDING=0) behind a pooler that
    # hands one session's statements to another, e.g. PgBouncer in transaction mode.
    if os.environ.get("DATABASE_SERVER_SIDE_BINDING", "1") == "1":
        options["server_side_binding"] = True
        options["prepare_threshold"] = int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "5"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A page makes a few cache calls; against a Redis that does not answer each
            # costs at most this, so the page still answers within a second.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# An unreachable Redis reads as a cache miss and drops writes, so pages and the API (whose
# throttling counts in the cache) keep answering; the outage is logged once a minute
# (bpdialogue.outage.CacheOutageFilter), not on every request.
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "bpdialogue.cache"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "bpdialogue.signin.SecretariatPasswordLength", "OPTIONS": {"min_length": 12}},
]
# django-axes first: a locked account or address is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in protection (django-axes, bpdialogue/signin.py): SIGNIN_FAILURE_LIMIT failed sign-ins
# for one account (from anywhere) or from one address (for any account) lock it for
# SIGNIN_COOLOFF_MINUTES after the last of them; attempts during the lock are refused unchecked
# and do not prolong it, so the time the page announces holds. Bad API keys count the same way
# per address (bpdialogue/api/throttling.py).
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=float(os.environ.get("SIGNIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success clears that account's failures from that address (bpdialogue.signin.sign_in_succeeded)
# rather than everything axes would match.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "bpdialogue.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "bpdialogue.signin.client_address"
# How many proxies in front append to X-Forwarded-For (0: REMOTE_ADDR is the caller). Behind
# one without this, every caller has the proxy's address and one guesser locks out everyone.
FORWARDED_PROXY_COUNT = int(os.environ.get("FORWARDED_PROXY_COUNT", "0"))
# Secretariat sessions end after this long without a request; delegates keep SESSION_COOKIE_AGE.
SECRETARIAT_SESSION_IDLE_SECONDS = int(
    float(os.environ.get("SECRETARIAT_SESSION_IDLE_MINUTES", "30")) * 60
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Two-factor sign-in for the secretariat (bpdialogue/twofactor.py): when on, a member of the
# secretariat without an authenticator can do nothing but set one up; when off, they are asked
# at each sign-in and may say "later". On by default in production, off with DEBUG (`make run`).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "bpdialogue"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content in every language of LANGUAGES (django-modeltranslation: one column per language,
# `title_en`, `title_ru`; the `translation.py` of each app names the fields). A third language
# is one more entry in LANGUAGES and `makemigrations`. A field read in a language it has no
# text in falls back to the others in this order, so the authoritative text shows.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": tuple(code for code, _name in LANGUAGES)}
# Dates and numbers follow the active language; English as the records write it.
FORMAT_MODULE_PATH = ["bpdialogue.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Vienna")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Documents are private: stored outside any public URL and served only through the
    # download view, which applies the access policy.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
# Documents in an S3-compatible object store instead (AWS S3, MinIO, Ceph, ...), so that web
# and worker hosts share them. Only this setting switches it on (AWS_* variables may be there
# for other tools); the keys come the way boto3 finds them (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or the host's role).
DOCUMENTS_STORAGE = os.environ.get("DOCUMENTS_STORAGE", "local")
if DOCUMENTS_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f"DOCUMENTS_STORAGE is 'local' or 's3', not {DOCUMENTS_STORAGE!r}.")
if DOCUMENTS_STORAGE == "s3":
    if not os.environ.get("S3_BUCKET"):
        raise ImproperlyConfigured("DOCUMENTS_STORAGE=s3 needs S3_BUCKET, the bucket's name.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "location": os.environ.get("S3_PREFIX", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            # "path" for MinIO and most servers of one's own; AWS takes "virtual".
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
            # Private objects: downloads stream through the access policy, never from a
            # signed or public URL of the bucket.
            "default_acl": None,
            "querystring_auth": False,
            # A second upload of 'agenda.pdf' gets a name of its own, as on disk.
            "file_overwrite": False,
        },
    }
# The largest document the secretariat may upload (bytes); generated PDFs are not limited.
DOCUMENT_UPLOAD_MAX_BYTES = int(os.environ.get("DOCUMENT_UPLOAD_MAX_BYTES", str(25 * 1024 * 1024)))
# collectstatic keeps only the hashed names and does not compress source maps (megabytes only
# a developer's browser tools fetch): it otherwise spends minutes compressing them twice.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "secretariat@bpdialogue.localhost")
# Where the site is reached, for links in e-mails; empty: the address it is served on
# (bpdialogue/site.py). Production sets it: the worker sends e-mails outside any request.
SITE_URL = os.environ.get("SITE_URL", "")
# Who is a delegate of which dialogue (bpdialogue/access.py asks; participants answers).
ACCESS_DELEGATE_DIALOGUES = "participants.access.delegate_dialogue_ids"
# Which participants a search query names (bpdialogue/search.py asks; participants answers).
SEARCH_NAME_GROUPS = "participants.search.name_groups"
# Webhooks are refused for hosts that resolve to private, loopback, link-local or reserved
# addresses (no reaching into the servers' own network); on for development and tests only.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS")

# Celery: a broker URL means real workers; none means tasks run eagerly in the caller's
# process, so the same code path works on a bare laptop.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "300"))
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 30
# Redis redelivers an unacknowledged task after the visibility timeout; it must exceed the
# longest a task may run or a slow render would be executed twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(
        os.environ.get("CELERY_VISIBILITY_TIMEOUT", str(CELERY_TASK_TIME_LIMIT + 300))
    ),
    # How often workers look for tasks whose worker died (kombu's default: every 100 s).
    "unacked_restore_interval": int(os.environ.get("CELERY_UNACKED_RESTORE_INTERVAL", "60")),
    "unacked_restore_throttle": 1,
    # Connecting only: a worker's blocking read of the queue must not time out.
    "socket_connect_timeout": 0.5,
}
# A request that queues a task while the broker is down gives up after one more try (the
# render job stays queued and beat sends it again later) instead of hanging.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# A render job still queued this many seconds after it was asked for is sent to the broker
# again (its first hand-over may have failed while Redis was down).
RENDER_REQUEUE_AFTER = float(os.environ.get("RENDER_REQUEUE_AFTER", "60"))
# A worker rendering a job writes its heartbeat every quarter of this; a running job whose
# heartbeat is older lost its worker and is handed to another, long before the broker's
# visibility timeout would redeliver it (meetings/render_queue.py).
RENDER_STALE_AFTER = float(os.environ.get("RENDER_STALE_AFTER", "60"))
# Periodic jobs, run by `celery beat` (one beat process per installation): every so many
# seconds, or at a time of day (crontab's fields; bpdialogue/celery.py makes them crontabs).
CELERY_BEAT_SCHEDULE = {
    "action-point-reminders": {
        "task": "meetings.tasks.send_action_point_reminders",
        "schedule": {"hour": 7, "minute": 0},
    },
    "action-point-focal-point-reminders": {
        "task": "meetings.tasks.send_focal_point_reminders",
        "schedule": {"hour": 7, "minute": 10},
    },
    # Render jobs whose hand-over to the broker failed (Redis was down) are sent again.
    "render-jobs-requeue": {
        "task": "meetings.tasks.requeue_render_jobs",
        "schedule": RENDER_REQUEUE_AFTER,
    },
    # Running render jobs whose worker stopped beating are retried, or failed after a few.
    "render-jobs-recover": {
        "task": "meetings.tasks.recover_render_jobs",
        "schedule": RENDER_STALE_AFTER / 4,
    },
    # Webhook deliveries whose retry is due, or that were not queued (bpdialogue/webhooks.py).
    "webhooks-send-due": {
        "task": "bpdialogue.tasks.send_due_webhooks",
        "schedule": 60.0,
    },
    # Finished webhook deliveries leave the log after 90 days.
    "webhooks-prune-log": {
        "task": "bpdialogue.tasks.prune_webhook_log",
        "schedule": {"hour": 3, "minute": 30},
    },
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "bpdialogue.api.schema.ApiAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    # One JSON error shape for the partner API (bpdialogue/api/errors.py).
    "EXCEPTION_HANDLER": "bpdialogue.api.errors.exception_handler",
    # The caller's address for anonymous rates, as for sign-ins (FORWARDED_PROXY_COUNT above);
    # unset, DRF would believe any X-Forwarded-For a caller sends.
    "NUM_PROXIES": FORWARDED_PROXY_COUNT,
    # Requests per API key, per signed-in user, per address of anonymous callers.
    "DEFAULT_THROTTLE_RATES": {
        "key": os.environ.get("API_RATE_KEY", "600/min"),
        "user": os.environ.get("API_RATE_USER", "600/min"),
        "anon": os.environ.get("API_RATE_ANON", "60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "bpdialogue API",
    "DESCRIPTION": "Meetings, records, participants, projects and workplans of a migration dialogue.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Loads bpdialogue.api.schema, whose extensions must be registered before generation.
    "DEFAULT_GENERATOR_CLASS": "bpdialogue.api.schema.ApiSchemaGenerator",
    # Stable, readable names for the choice sets that share a field name.
    "ENUM_NAME_OVERRIDES": {
        "MeetingKindEnum": "meetings.models.Meeting.Kind",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "RecordStatusEnum": "meetings.models.Meeting.RecordStatus",
        "VisibilityEnum": "meetings.models.Visibility",
        "ConclusionKindEnum": "meetings.models.Conclusion.Kind",
        "ActionPointStatusEnum": "meetings.models.ActionPoint.Status",
        "DocumentKindEnum": "meetings.models.Document.Kind",
        "DelegationRoleEnum": "meetings.models.Delegation.Role",
        "ParticipantKindEnum": "participants.models.Participant.Kind",
        "MembershipStatusEnum": "participants.models.Membership.Status",
        "ProjectKindEnum": "projects.models.Project.Kind",
        "ProjectStatusEnum": "projects.models.Project.Status",
        "ProjectPartnerRoleEnum": "projects.models.ProjectPartner.Role",
        "SiteStatusEnum": "projects.models.Site.Status",
        "FrameworkStatusEnum": "workplans.models.CooperationFramework.Status",
        "ThematicFocusStatusEnum": "meetings.models.ThematicFocus.Status",
        "WorkplanStatusEnum": "workplans.models.Workplan.Status",
        "ActivityKindEnum": "workplans.models.Activity.Kind",
        "ActivityStatusEnum": "workplans.models.Activity.Status",
    },
}

# The pages load only the site's own scripts and styles: no inline `<script>`, no `style=""`
# attributes, no CDN. A view that cannot live with that (a third-party page such as the API
# explorer) widens the policy for itself with django-csp's `@csp_update`; this stays strict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Database sessions that treat a malformed cookie as none (bpdialogue/sessions.py).
SESSION_ENGINE = "bpdialogue.sessions"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The orchestrator probes over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# The reference document the demo data is built from, copied from ../shared/reference into the
# tests, so that a clone anywhere runs them.
REFERENCE_DIR = Path(os.environ.get("REFERENCE_DIR", BASE_DIR / "tests" / "data" / "reference"))

# The IATI export (`/api/v1/iati/activities.xml`): the reporting organisation is each
# dialogue's secretariat, by its IATI organisation identifier; this one stands in for a
# secretariat that has none on file. The IATI 2.03 schema the tests validate the export against.
IATI_REPORTING_ORG_REF = os.environ.get("IATI_REPORTING_ORG_REF", "")
IATI_SCHEMA_DIR = Path(os.environ.get("IATI_SCHEMA_DIR", BASE_DIR / "tests" / "data" / "iati-2.03"))

# The request id (django-guid): a proxy's X-Request-ID is kept when it is a UUID (nginx's
# $request_id, Envoy's, Heroku's) and made otherwise; every response returns it, and a task
# sent while a request runs carries it to the worker (bpdialogue/celery.py), whose logging is
# then this LOGGING too.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [RequestIdIntegration(use_django_logging=True)],
}

# JSON lines with the request id in production (LOG_FORMAT=json, the default without DEBUG);
# plain text for a developer's terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        },
        "cache_outage": {"()": "bpdialogue.outage.CacheOutageFilter"},
    },
    "formatters": {
        "json": {"()": "bpdialogue.requestlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # django-guid says at INFO, for every request, whether the header came or was made.
        "django_guid": {"level": "WARNING"},
        "bpdialogue.cache": {"filters": ["cache_outage"]},
    },
}
