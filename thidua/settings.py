"""Settings come from the environment; the defaults run the product on an embedded SQLite file."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import environ
from csp import constants as csp_constants

BASE_DIR = Path(__file__).resolve().parent
env = environ.Env()

# THIDUA_HOME holds everything the running product writes: the SQLite file, uploads, the secret key.
THIDUA_HOME = Path(env.str("THIDUA_HOME", default=str(Path.cwd() / "var"))).resolve()
# Citizen IDs, uploads and signed decisions live here: created for the product's own user only (issue 13,
# item 7). A folder or file that already exists keeps the modes its operator gave it.
THIDUA_HOME.mkdir(parents=True, exist_ok=True, mode=0o700)


def _secret_key() -> str:
    if key := os.environ.get("THIDUA_SECRET_KEY"):
        return key
    # A per-installation key kept beside the data, so a default install never runs on a known key.
    key_file = THIDUA_HOME / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("THIDUA_DEBUG", default=False)
ALLOWED_HOSTS = env.list("THIDUA_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("THIDUA_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    # Second factor (issue 13, item 6): TOTP apps and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "template_partials",
    # Background tasks (imports): the backport of Django 6's tasks framework and its database queue.
    "django_tasks",
    "django_tasks_db",
    # Serves the API documentation page's own static files, so /api/docs works without the Internet.
    "ninja",
    "thidua.core",
    "thidua.accounts",
    "thidua.organisation",
    "thidua.awards",
    "thidua.imports",
    "thidua.exports",
    "thidua.appraisal",
    "thidua.proposals",
    "thidua.movements",
    "thidua.directives",
    "thidua.registrations",
    "thidua.blocs",
    "thidua.portal",
    "thidua.reports",
    "thidua.statistics",
    "thidua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Outermost after security: an unknown /api/ address or method answers JSON like every API error.
    "thidua.api.api_error_bodies",
    # Before anything reads the session or the database: a NUL byte is a 400 (PostgreSQL refuses it).
    "thidua.core.middleware.NulByteMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The session's OTP device (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The idle timeout, then the second factor: an account that must verify (or enrol) reaches nothing
    # else until it has.
    "thidua.accounts.middleware.IdleTimeoutMiddleware",
    "thidua.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A write lock held past SQLite's busy timeout (a large import committing) answers 503, not 500.
    "thidua.core.middleware.DatabaseBusyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# No script but the product's own files: no inline script, no handler attribute, no eval (the templates
# have none; tests/core/test_csp.py keeps it so). Styles allow inline `style=""` attributes, which the
# templates and the server-drawn charts use for sizes and colours: they cannot run code. Images may be
# `data:` URIs (Swagger UI's icons). No frame may hold a page (with X-Frame-Options).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.SELF],
        "style-src": [csp_constants.SELF, csp_constants.UNSAFE_INLINE],
        "img-src": [csp_constants.SELF, "data:"],
        "font-src": [csp_constants.SELF, "data:"],
        "connect-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.SELF],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    }
}

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thidua.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{THIDUA_HOME / 'thidua.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite_file = str(DATABASES["default"]["NAME"])
    # SQLite gives its -wal and -shm files the database file's modes: a new one is created empty, for the
    # owner only, before the first connection creates it with the process's umask.
    if (
        _sqlite_file not in ("", ":memory:")
        and not _sqlite_file.startswith("file:")
        and not os.path.exists(_sqlite_file)
        and os.path.isdir(os.path.dirname(_sqlite_file) or ".")
    ):
        os.close(os.open(_sqlite_file, os.O_CREAT | os.O_WRONLY, 0o600))
    # WAL lets the server read while an import writes; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections by default: opening one costs a PostgreSQL backend process and a few
    # milliseconds per request. The health check drops a connection the server closed meanwhile. An
    # operator's `?conn_max_age=` in DATABASE_URL wins. `thidua serve` closes every connection before
    # gunicorn forks, so no worker inherits one (thidua/gunicorn_conf.py).
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("THIDUA_CONN_MAX_AGE", default=600))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    _pgbouncer = env.bool("THIDUA_PGBOUNCER", default=False)
    # Parameters sent apart from the query, and a query run 5 times on a connection prepared there: PostgreSQL
    # parses and plans each of a page's queries once per connection instead of on every request, which
    # lifted the 200-user load test's requests/s (docs/benchmarks.md). PgBouncer in transaction pooling hands
    # a session's prepared statements to other clients unless its max_prepared_statements is set (1.21+):
    # off by default there. An operator's OPTIONS in DATABASE_URL win.
    if env.bool("THIDUA_PG_PREPARED", default=not _pgbouncer):
        DATABASES["default"].setdefault("OPTIONS", {})
        DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
        DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
    if _pgbouncer:
        # Behind PgBouncer in transaction pooling (docs/deployment.md) the pooler keeps the connections, and a
        # server-side cursor (QuerySet.iterator) must not outlive the transaction that opened it.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters at least (issue 13, item 6): a second factor guards the roles that decide, the length
    # guards everyone else.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# Login throttling: five failures lock the username from that address for 15 minutes.
AXES_FAILURE_LIMIT = env.int("THIDUA_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address, for Axes and the rate limiter alike: X-Forwarded-For is believed only for as many
# proxies as the operator says stand in front (THIDUA_TRUSTED_PROXY_COUNT); with none, a client could write
# any address it likes there, so only REMOTE_ADDR counts.
THIDUA_TRUSTED_PROXY_COUNT = env.int("THIDUA_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "thidua.core.client_address.client_ip"
RATELIMIT_IP_META_KEY = "thidua.core.client_address.client_ip"
# The key of the addresses' HMAC (a public comment keeps its sender's address only so hashed); unset, one
# derived from SECRET_KEY.
THIDUA_ADDRESS_HASH_KEY = env.str("THIDUA_ADDRESS_HASH_KEY", default="")

# Second factor: the issuer the authenticator app shows beside the account.
OTP_TOTP_ISSUER = env.str("THIDUA_OTP_ISSUER", default="Thi Đua")
# Asking again (a fresh code, or the password without a device) before a decision is issued or revoked
# holds for this many seconds.
THIDUA_REAUTH_SECONDS = env.int("THIDUA_REAUTH_SECONDS", default=300)
# An idle session is logged out after this many minutes without a request.
THIDUA_IDLE_TIMEOUT_MINUTES = env.int("THIDUA_IDLE_TIMEOUT_MINUTES", default=30)
# The load test's second floor (loadtest/run.py, docs/benchmarks.md): an empty page behind the login. Off
# unless a benchmark asks for it, so a production server offers no page that does nothing.
THIDUA_BENCH_VIEWS = env.bool("THIDUA_BENCH_VIEWS", default=False)
# The admin never shows an authenticator's key, its QR code or the recovery codes of an existing device:
# whoever reads them can pass as the account's second factor (docs/security.md §6).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# An API token expires this many days after it is created.
THIDUA_API_TOKEN_DAYS = env.int("THIDUA_API_TOKEN_DAYS", default=90)

# Vietnamese for everyone, whatever language the browser asks for: officials' browsers often say
# "en-US", and numbers and dates must still read 5.000 and 05/01/2026.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["thidua.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = THIDUA_HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Serving straight from the app folders keeps `thidua serve` a one-step start with no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = THIDUA_HOME / "media"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

SESSION_COOKIE_HTTPONLY = True
# Behind HTTPS (the production set-up in the README): secure cookies, redirect to HTTPS, HSTS, and trust
# the reverse proxy's X-Forwarded-Proto. Off by default so the embedded http://127.0.0.1 start works.
HTTPS = env.bool("THIDUA_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env.int("THIDUA_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# Joining the browsers' HSTS preload list binds the whole domain (often a shared .gov.vn one): that is
# the domain owner's decision, not the application's.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Upload limits: the import page refuses anything larger before reading it.
THIDUA_IMPORT_MAX_BYTES = env.int("THIDUA_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# What an import reads at most: the bytes its workbook unpacks to (counted as they are read, not as the zip
# declares them) and its data rows. 100,000 rows written by openpyxl unpack to about 90 MB; a file far past
# both held a worker for a minute or got it killed (issue 13).
THIDUA_IMPORT_MAX_UNPACKED_BYTES = env.int("THIDUA_IMPORT_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)
THIDUA_IMPORT_MAX_ROWS = env.int("THIDUA_IMPORT_MAX_ROWS", default=100_000)
THIDUA_ATTACHMENT_MAX_BYTES = env.int("THIDUA_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Long work (checking and writing an import) runs as a background task, so a web worker never waits minutes on
# it. The queue is a table of the database itself: nothing more to install on one machine, and every
# application server sees the same queue. `thidua worker` runs the tasks (`thidua serve` starts one beside the
# web workers); THIDUA_TASKS_BACKEND=immediate runs them inside the request instead (development, tests).
TASKS_BACKEND = env.str("THIDUA_TASKS_BACKEND", default="database").lower()
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TASKS_BACKEND == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}
# A list export with more rows than this is written by a background task (the page follows its progress)
# instead of inside the request, so a web worker never spends minutes on one file.
THIDUA_EXPORT_INLINE_ROWS = env.int("THIDUA_EXPORT_INLINE_ROWS", default=2000)
# A background export's file is a copy of registry data (citizen IDs among it): it is deleted this many days
# after it was written, at the next export the worker runs (or by `thidua prune_exports`).
THIDUA_EXPORT_KEEP_DAYS = env.int("THIDUA_EXPORT_KEEP_DAYS", default=7)
# `thidua worker` lowers its own CPU priority by this much (0 keeps it): pages first, background tasks on
# the CPU the pages leave.
THIDUA_WORKER_NICE = env.int("THIDUA_WORKER_NICE", default=10)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# E-mail notifications go out only when a mail server is configured; the in-app ones always do.
EMAIL_HOST = env.str("THIDUA_EMAIL_HOST", default="")
EMAIL_PORT = env.int("THIDUA_EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("THIDUA_EMAIL_USER", default="")
EMAIL_HOST_PASSWORD = env.str("THIDUA_EMAIL_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("THIDUA_EMAIL_TLS", default=True)
DEFAULT_FROM_EMAIL = env.str("THIDUA_EMAIL_FROM", default="thidua@localhost")
THIDUA_SITE_URL = env.str("THIDUA_SITE_URL", default="http://127.0.0.1:8000")
THIDUA_PROVINCE_NAME = env.str("THIDUA_PROVINCE_NAME", default="")

# A cache all server processes share: django-ratelimit counts public comments per address in it. On one
# machine a folder does; several application servers share a Redis (THIDUA_CACHE_URL=redis://host:6379/0),
# and then the sessions are read from it too (docs/deployment.md).
CACHES = {"default": env.cache_url("THIDUA_CACHE_URL", default=f"filecache://{THIDUA_HOME / 'cache'}")}
CACHES["default"]["KEY_PREFIX"] = env.str("THIDUA_CACHE_KEY_PREFIX", default="thidua")
SHARED_CACHE = CACHES["default"]["BACKEND"].endswith("RedisCache")
# The database stays the sessions' record (a Redis restart logs nobody out); the cache in front of it spares
# every request a query when the cache is shared by every server.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if SHARED_CACHE else "django.contrib.sessions.backends.db"
)

# Uploaded files: a folder beside the database on one machine; an S3-compatible object store (MinIO, Ceph,
# a cloud's) when several application servers serve the same files. The bucket is private: a file leaves
# it only through the product's scope-checked download views, never by a public address.
S3_BUCKET = env.str("THIDUA_S3_BUCKET", default="")
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("THIDUA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("THIDUA_S3_REGION", default="") or None,
            "access_key": env.str("THIDUA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("THIDUA_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("THIDUA_S3_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            # Two uploads of the same name never replace each other's file.
            "file_overwrite": False,
        },
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_client_errors": {"()": "thidua.core.logging.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("THIDUA_LOG_LEVEL", default="WARNING")},
    "loggers": {"django.request": {"filters": ["one_line_client_errors"]}},
}
