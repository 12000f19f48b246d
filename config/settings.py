"""Attune settings: one module, read from the environment (12-factor).

Every variable is optional for `make run`; production sets SECRET_KEY, DATABASE_URL,
REDIS_URL, SITE_URL, EMAIL_URL and ALLOWED_HOSTS. Test-only overrides live in
tests/conftest.py.
"""

import os
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 (development only: DEBUG)

# DOMAIN: the one name a self-hosted instance is reached at, behind the compose stack's
# TLS proxy (Caddy). It gives SITE_URL (https://DOMAIN), ALLOWED_HOSTS, the CSRF origin
# and trust in the proxy's X-Forwarded-Proto; any of them set on its own wins.
DOMAIN = os.environ.get("DOMAIN", "").strip().lower()
SITE_URL = (os.environ.get("SITE_URL") or (f"https://{DOMAIN}" if DOMAIN else "http://127.0.0.1:8000")).rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [urlsplit(SITE_URL).hostname or "localhost"]
if DEBUG:
    ALLOWED_HOSTS += ["localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") or [SITE_URL]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth.usersessions' list says "2 hours ago"
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.usersessions",
    "django_htmx",
    "accounts",
    "couples",
    "prompts",
    "rituals",
    "assessments",
    "notifications",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "config.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.csp",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "config.context_processors.navigation",
    "accounts.safety.sheet",
    "config.context_processors.csrf",  # after Django's own, which it replaces
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": CONTEXT_PROCESSORS},
    },
    # The pages people open every day (core.jinja): rendered with `using="jinja2"`.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        # templates/ second, for the plain HTML both engines include (head_meta.html).
        "DIRS": [BASE_DIR / "jinja_templates", BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "core.jinja.environment",
            "context_processors": CONTEXT_PROCESSORS,
        },
    },
]

# --- Database -----------------------------------------------------------------------
# SQLite is the zero-setup default. Web and worker share the file, so: WAL (readers
# never block the writer), IMMEDIATE transactions (a writer takes the lock at BEGIN
# instead of failing on upgrade) and a busy timeout (wait for the lock, do not error).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Server-side parameters, and statements PostgreSQL has planned before are
        # prepared and reused on the connection: the hot pages' joins cost a tenth of
        # their planning time (0.6 ms -> 0.13 ms each). Needs a direct connection or a
        # session-mode pooler (PgBouncer in transaction mode does not keep them).
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "attune.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits live here) ------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Misses while Redis is away (config.cache); short timeouts so a dead Redis costs
    # a page little.
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# base.html's header and footer are the same for everyone on the same section of the
# site: each process renders each variant once ({% cache ... using="fragments" %}).
# Never in development, where a template edit must show at once.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.dummy.DummyCache"
    if DEBUG
    else "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
}

# --- Celery -------------------------------------------------------------------------
# With REDIS_URL: Redis is the broker. Without: kombu's filesystem transport under var/,
# so `make run` needs no server. Once-only delivery never relies on the broker: the
# send log in notifications/ decides.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A Redis that hangs (frozen, or gone without closing the connection) would hold a
    # publish forever: the request that queues a notice, or a sweep. These bound each
    # attempt; the socket timeout stays above the worker's 1 s BRPOP wait.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"socket_connect_timeout": 1, "socket_timeout": 2}
else:
    _queue = VAR_DIR / "celery" / "queue"
    _processed = VAR_DIR / "celery" / "processed"
    _control = VAR_DIR / "celery" / "control"
    for _folder in (_queue, _processed, _control):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(_processed),
        "control_folder": str(_control),
        "store_processed": True,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# The broker may restart or be away (tests/trust/test_broker_restart.py). A publish
# tries twice (the second on a new connection, for a pooled one a restart broke), then
# notifications.broker logs it and the caller carries on: a request that queues a notice
# answers within a second or so (a few with a frozen Redis), and a sweep's claims wait
# for the stale takeover. Kombu's default, four tries, only made people wait longer.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
# Workers reconnect for as long as the broker is away, also when it is not up yet at
# their start. Celery's default gives up after 100 tries (about 45 minutes), and the
# worker then exits.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A delivery running when the broker connection drops finishes (it needs PostgreSQL and
# the mail server, not the broker). Cancelling it, Celery 6's default, would leave the
# rest of its chunk waiting for the stale takeover, 5 minutes on.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Accounts (django-allauth, email only) ------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_CHANGE = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Codes are allauth's default: 8 letters from a 20-letter alphabet, shown as
# "BCDF-GHJK" (about 2.6e10 choices; a 6-digit code had 1e6).
ALLAUTH_USER_CODE_FORMAT = {"numeric": False, "dashed": True, "length": 8}
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("ACCOUNT_RATE_LIMITS_ENABLED", True)
# Wrong passwords lock the password route of an account (allauth's login_failed), but
# never the emailed code: asking for codes is limited per client address only, so nobody
# can keep a chosen person from signing in by asking for their codes first.
ACCOUNT_RATE_LIMITS = {"request_login_code": "10/m/ip,30/h/ip"}
# Email, password and account deletion ask for the password (or a code) again when the
# last sign-in is older than this.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Signed-in devices (allauth.usersessions, /accounts/sessions/): each sign-in is listed
# with its browser and address, and any other can be signed out. Not tracked per
# request (that would write on every page): the list shows where each one began.
USERSESSIONS_TRACK_ACTIVITY = False
ACCOUNT_FORMS = {
    "signup": "accounts.forms.SignupForm",
    "confirm_login_code": "accounts.forms.ConfirmLoginCodeForm",
    "confirm_email_verification_code": "accounts.forms.ConfirmEmailVerificationCodeForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # each subject names Attune in its own words
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme or "https"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Phones stay signed in: a year, renewed on use (at most once a day, by
# core.middleware.SecurityHeadersMiddleware, so a visit does not write the session).
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365
SESSION_RENEW_AFTER_SECONDS = 60 * 60 * 24

# --- Email --------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp://user:password@mail.example.org:587/?tls=True or console://
EMAIL_URL = os.environ.get("EMAIL_URL", "console://" if DEBUG else "smtp://localhost:25")
_email = dj_email_url.parse(EMAIL_URL)
_smtp_options = {
    "host": _email["EMAIL_HOST"],
    "port": _email["EMAIL_PORT"],
    "username": _email["EMAIL_HOST_USER"],
    "password": _email["EMAIL_HOST_PASSWORD"],
    "use_tls": _email["EMAIL_USE_TLS"],
    "use_ssl": _email["EMAIL_USE_SSL"],
    "timeout": _email["EMAIL_TIMEOUT"] or 20,
}
_backend = _email["EMAIL_BACKEND"]
_is_smtp = _backend == "django.core.mail.backends.smtp.EmailBackend"
if _backend == "django.core.mail.backends.console.EmailBackend":
    # Printed readably: decoded subject and text, whole links (config/mail.py).
    _backend = "config.mail.ConsoleEmailBackend"
elif _is_smtp:
    # Django's, except that notices go out as the bytes they were built as.
    _backend = "notifications.mail.EmailBackend"
MAILERS = {
    "default": {
        "BACKEND": _backend,
        "OPTIONS": _smtp_options if _is_smtp else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Attune <attune@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security -----------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# No script reads the CSRF cookie: pages put the token in hx-headers and forms.
CSRF_COOKIE_HTTPONLY = True
BEHIND_PROXY = env_bool("BEHIND_PROXY", bool(DOMAIN))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Who the client is, for per-address rate limits: behind BEHIND_PROXY, the address the
# nearest TRUSTED_PROXY_COUNT proxies put in X-Forwarded-For (1: the one proxy in front),
# or a header the proxy sets alone (TRUSTED_CLIENT_IP_HEADER, e.g. X-Real-IP). Without a
# proxy the socket's address, whatever a client writes in the headers.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1")) if BEHIND_PROXY else 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = (os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None) if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", bool(DOMAIN))
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Features no page uses, refused to every page and frame (core.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (WhiteNoise) -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "config.storage.StaticFilesStorage"
        )
    },
}

# --- Logging: to stdout, one line per record ------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Attune -------------------------------------------------------------------------
INVITE_TTL_DAYS = 7
# New invite links one person may make in a day (each one revokes the one before).
INVITE_DAILY_LIMIT = 10
ANSWER_MAX_LENGTH = 2000
REMINDER_LATE_LIMIT_MINUTES = 120
SEND_CLAIM_STALE_MINUTES = 5
# "Both answers are in" waits this long: a partner still on the page sees the reveal
# there (the poll runs every 5 s) and gets no email about it.
REVEAL_READY_GRACE_SECONDS = 30
# "<Name> answered" waits this long: two partners answering side by side on the sofa
# need no ping about each other (the notice is skipped once both have answered).
PARTNER_ANSWERED_GRACE_SECONDS = 120
# Reminders at scale: users claimed per statement by the sweep, notices per delivery
# task (more worker processes deliver faster).
SWEEP_BATCH = 1000
NOTICE_DELIVERY_CHUNK = 250
# One-click unsubscribe links work this long (seconds), and only for the address they
# were sent to.
UNSUBSCRIBE_MAX_AGE = 60 * 24 * 3600
# Web Push: `python manage.py generate_vapid_keys` prints the pair. Without both, push
# is off and every notice goes by email. The subject is how a push service reaches
# whoever runs this instance: a mailto: or https: address.
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT") or (
    "mailto:" + parseaddr(DEFAULT_FROM_EMAIL)[1] if "@" in DEFAULT_FROM_EMAIL else SITE_URL
)
# The push services a browser's subscription may point at (a host or its parent
# domain): the worker POSTs to whatever endpoint is saved, so only these are taken.
PUSH_SERVICE_HOSTS = env_list(
    "PUSH_SERVICE_HOSTS",
    "fcm.googleapis.com,android.googleapis.com,push.services.mozilla.com,push.apple.com,notify.windows.com",
)
PUSH_TITLE = "Attune"
# A reminder an hour late is no longer gentle: the push service drops it after that.
PUSH_TTL_SECONDS = 3600
PUSH_TIMEOUT_SECONDS = 10
# Crisis lines for the assessments' "when to seek support" page, set by whoever runs
# this instance for the people it serves: entries separated by ";", e.g.
# CRISIS_LINES="Samaritans (UK and Ireland): call 116 123; 988 Lifeline (US): call or text 988".
CRISIS_LINES = [line.strip() for line in os.environ.get("CRISIS_LINES", "").split(";") if line.strip()]
# Also shown, once, to someone whose writing matched a crisis phrase (accounts.safety),
# whose follow-ups then pause for this many days.
SAFETY_PAUSE_DAYS = int(os.environ.get("SAFETY_PAUSE_DAYS", "7"))

# Answers (and what else core.fields.EncryptedTextField holds) are encrypted with these
# Fernet keys, not with SECRET_KEY: comma-separated, the first encrypts, all decrypt.
# Rotation and backups: README, "Keys". Unset, a development key that everyone can read
# here is used, and `check --deploy` warns (privacy.checks).
DEV_FIELD_ENCRYPTION_KEY = "YXR0dW5lLWRldmVsb3BtZW50LWtleS1OT1QtUFJPRCE="
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS") or [DEV_FIELD_ENCRYPTION_KEY]
