"""Ustaz settings, driven by environment variables.

With no variables set, Ustaz runs embedded: an SQLite file, Celery tasks run eagerly in-process,
e-mail printed to the console, DEBUG on and a generated development secret. Production and CI set
DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis, also used as the cache); DJANGO_DEBUG=0
then demands DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)


def _development_secret() -> str:
    # Kept in a git-ignored file so that sessions survive a restart of the dev server.
    path = BASE_DIR / ".dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or _development_secret()
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]", "testserver"]
else:
    missing = [
        name
        for name, value in (
            ("DJANGO_SECRET_KEY", SECRET_KEY),
            ("DJANGO_ALLOWED_HOSTS", ALLOWED_HOSTS),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=0 (production) requires these environment variables: "
            + ", ".join(missing)
            + ". Set DJANGO_SECRET_KEY to a long random string and DJANGO_ALLOWED_HOSTS to the "
            "comma-separated host names the site is served under."
        )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, so translated fields get their language tabs there.
    "modeltranslation",
    "lms.apps.UstazAdminConfig",  # Django's admin with the site of lms/admin_site.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Full-text and trigram lookups for the library's search (inert on SQLite).
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "lms",
    "diagnostics",
    "library",
    "courses",
    "forums",
]

MIDDLEWARE = [
    "lms.server_timing.ServerTimingMiddleware",  # first: its `app` time covers the others
    "django.middleware.security.SecurityMiddleware",
    # Near the outside, so that the pages other middleware answer with (a bad host's 400, a
    # lockout) carry the policy too.
    "lms.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout raised during sign-in into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

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
                "lms.context_processors.navigation",
                "lms.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytic queries, not for the short ones a web app and
    # its scoring run: it spent 2 s compiling a 0.3 s scoring statement (docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "lms.backends.RoleModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 7  # a week: invited teachers do not all read mail daily

# django-axes: five failed sign-ins to one account from one address lock that pair for 15
# minutes. Not the account alone: a stranger failing from elsewhere would lock a head out of
# their own account. Not the address alone: a whole school signs in from one address, and one
# teacher's typos would lock out every colleague. Setting a new password through the reset link
# (lms/views.py, PasswordResetConfirmView) clears the account's lock at every address. Since
# ip_address is one of the parameters, axes' own check (axes.W006) passes and nothing is silenced.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "lms.backends.axes_username"
AXES_CLIENT_IP_CALLABLE = "lms.backends.client_ip_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# How many reverse proxies stand in front of gunicorn. Production runs it behind nginx (README),
# so REMOTE_ADDR is nginx's own address and the client's is the last entry nginx appends to
# X-Forwarded-For (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`). Entries
# further left are whatever the client sent and are never believed. 0: gunicorn faces the
# clients itself and X-Forwarded-For is ignored (a client could write anything in it).
USTAZ_TRUSTED_PROXIES = int(os.environ.get("USTAZ_TRUSTED_PROXIES", "0" if DEBUG else "1"))

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "kk")
LANGUAGES = [
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("ky", "Кыргызча"),
    ("en", "English"),
]
LOCALE_PATHS = [
    # First, so it wins over Django's own catalogues: the Django and admin strings that Django's
    # Kazakh and Kyrgyz catalogues leave in English, and fixes of their typos. Not in a folder
    # named "locale" inside an app, nor directly in a folder holding code: makemessages would
    # then put the strings of that code into it.
    BASE_DIR / "lms" / "catalogues" / "django",
    BASE_DIR / "locale",
]
# Django has no Kazakh date and number formats; Ustaz ships them, and one numeric style for
# Kyrgyz and Russian too (lms/formats/).
FORMAT_MODULE_PATH = ["lms.formats"]
# Translated content (questions, levels, ...): a text missing in the reader's language falls back
# to Russian, then Kazakh, then English, so a teacher never sees an empty question.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("kk", "ru", "ky", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ru", "kk", "en", "ky")
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Almaty")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("USTAZ_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production; the plain storage while developing and
        # testing, where collectstatic has not been run.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery and the cache -------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
if CELERY_BROKER_URL:
    CELERY_TASK_ALWAYS_EAGER = False
    CACHES = {
        "default": {
            # A stopped Redis reads as a cache miss, never a 500 (lms/cache_backends.py); short
            # timeouts so that a Redis that does not answer does not hold the page either.
            "BACKEND": "lms.cache_backends.ForgivingRedisCache",
            "LOCATION": os.environ.get("CACHE_URL", CELERY_BROKER_URL),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
            # The test suite gives each run a prefix of its own and clears only its keys.
            "KEY_PREFIX": os.environ.get("USTAZ_CACHE_KEY_PREFIX", "ustaz"),
        }
    }
else:
    # Embedded mode: no broker, so tasks run in-process as soon as they are sent.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": os.environ.get("USTAZ_CACHE_KEY_PREFIX", "ustaz"),
        }
    }
CELERY_BROKER_CONFIGURED = not CELERY_TASK_ALWAYS_EAGER
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
# Longer than any countdown we use and than the hard time limit, so Redis never re-delivers a
# task that is still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TIMEZONE = TIME_ZONE
# Submissions scored per transaction: smaller batches hold their row locks for less time (and a
# killed worker loses less work in progress); 500 scores 10,000 submissions in about 4 s.
SCORING_BATCH_SIZE = int(os.environ.get("USTAZ_SCORING_BATCH_SIZE", "500"))
# Work a dead worker held is found again by beat's sweepers (docs/architecture.md, "Work a dead
# worker held"). A grouping run or a text extraction queued longer ago than the deadline is
# queued again, up to WORK_MAX_ATTEMPTS times in all, then failed with the reason. The deadline
# must exceed the tasks' hard time limit, so a task still running is never taken for dead.
SWEEP_INTERVAL_SECONDS = 60
WORK_DEADLINE = timedelta(minutes=int(os.environ.get("USTAZ_WORK_DEADLINE_MINUTES", "10")))
WORK_MAX_ATTEMPTS = 2
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-submissions": {
        "task": "diagnostics.tasks.requeue_stale_submissions",
        "schedule": float(SWEEP_INTERVAL_SECONDS),
    },
    "sweep-stale-grouping-runs": {
        "task": "diagnostics.tasks.sweep_stale_grouping_runs",
        "schedule": float(SWEEP_INTERVAL_SECONDS),
    },
    "sweep-stale-extractions": {
        "task": "library.tasks.sweep_stale_extractions",
        "schedule": float(SWEEP_INTERVAL_SECONDS),
    },
    "send-waiting-invitations": {
        "task": "lms.tasks.send_waiting_invitations",
        "schedule": float(SWEEP_INTERVAL_SECONDS),
    },
    "send-pending-notifications": {
        "task": "lms.notifications.tasks.send_pending_notifications",
        "schedule": float(SWEEP_INTERVAL_SECONDS),
    },
    "requeue-waiting-recomputes": {
        "task": "courses.tasks.requeue_waiting_recomputes",
        "schedule": float(SWEEP_INTERVAL_SECONDS),
    },
    # Paths follow new rounds right after scoring; this catches a missed signal.
    "refresh-learning-paths": {
        "task": "courses.tasks.refresh_learning_paths",
        "schedule": 15 * 60.0,
    },
    # Stages follow diagnoses and other apps' work; certificates refresh theirs at once.
    "refresh-portfolio-stages": {
        "task": "courses.portfolio.tasks.refresh_all_stages",
        "schedule": crontab(hour=2, minute=30),
    },
    "send-notification-digests": {
        "task": "lms.notifications.tasks.send_notification_digests",
        "schedule": crontab(hour=6, minute=0),
    },
    "send-round-table-reminders": {
        "task": "forums.tasks.send_round_table_reminders",
        "schedule": 5 * 60.0,
    },
    "purge-expired-sessions": {
        "task": "lms.tasks.purge_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ustaz <noreply@ustaz.local>")
# Where letters written by Celery (no request at hand) point their links.
USTAZ_BASE_URL = os.environ.get("USTAZ_BASE_URL", "http://127.0.0.1:8000")

# --- Security in production -----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Every page may run only Ustaz's own script files: no inline script, no event-handler
# attributes, no eval, nothing from another host (an injected <script> or onclick= does not run).
# Styles too come only from Ustaz's files; the templates carry no style attributes (ustaz.css has
# the few utility classes they needed). data: images are Bootstrap's own: its CSS draws checkboxes
# and select arrows as inline SVG. frame-ancestors 'none' says in CSP what X-Frame-Options DENY
# says: no site, Ustaz included, shows Ustaz's pages in a frame. Views that serve uploaded
# files set a stricter policy of their own (sandbox), which the middleware leaves alone; the
# interactive (H5P) lesson adds what its player needs (courses/h5p/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Database sessions, their one query a request written once (lms/sessions.py).
SESSION_ENGINE = "lms.sessions"
SESSION_COOKIE_HTTPONLY = True
# The three cookies Ustaz sets go back only to Ustaz's own pages and forms (Lax: a link from a
# letter still arrives signed in; a form on another site does not post with them). The language
# cookie holds only a language code, but script has no reason to read it either.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # /healthz is probed over plain HTTP by load balancers inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- E-library ----------------------------------------------------------------------------
# The largest file a methodist may upload or import, in megabytes.
LIBRARY_MAX_UPLOAD_MB = int(os.environ.get("LIBRARY_MAX_UPLOAD_MB", "50"))
# Text extraction runs in a child process with these bounds (library/extraction_process.py): a
# hostile file ends "too large" or "took too long" instead of taking the worker down.
LIBRARY_EXTRACTION_MAX_CHARS = int(os.environ.get("LIBRARY_EXTRACTION_MAX_CHARS", "1000000"))
LIBRARY_EXTRACTION_SECONDS = float(os.environ.get("LIBRARY_EXTRACTION_SECONDS", "60"))
LIBRARY_EXTRACTION_MEMORY_MB = int(os.environ.get("LIBRARY_EXTRACTION_MEMORY_MB", "512"))
# A zip part over 1 MB that claims more than this many times its packed size is refused unread.
LIBRARY_EXTRACTION_MAX_RATIO = int(os.environ.get("LIBRARY_EXTRACTION_MAX_RATIO", "200"))

# --- Forums and round tables -----------------------------------------------------------------
FORUMS_POSTS_PER_WINDOW = int(os.environ.get("FORUMS_POSTS_PER_WINDOW", "6"))
FORUMS_POST_WINDOW_SECONDS = int(os.environ.get("FORUMS_POST_WINDOW_SECONDS", "120"))
# A new account's posts with links or files wait for approval until this many are published.
FORUMS_TRUSTED_AFTER_POSTS = int(os.environ.get("FORUMS_TRUSTED_AFTER_POSTS", "3"))
FORUMS_MAX_ATTACHMENT_MB = int(os.environ.get("FORUMS_MAX_ATTACHMENT_MB", "20"))
# A BigBlueButton server (e.g. https://bbb.example.kz/bigbluebutton/) and its shared secret: when
# both are set, Ustaz creates round tables' meetings there.
BBB_URL = os.environ.get("BBB_URL", "")
BBB_SECRET = os.environ.get("BBB_SECRET", "")

# --- Roster import --------------------------------------------------------------------------
ROSTER_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ROSTER_MAX_ROWS = 20_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
