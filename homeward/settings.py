"""Homeward settings. Every value an operator may change comes from an environment variable
(listed with its meaning in .env.example); bad values stop the process with a clear message."""

from __future__ import annotations

from pathlib import Path

from homeward.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    parse_database_url,
    parse_email_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# development: `make run` on a laptop; test: the suite; production: a real deployment.
HOMEWARD_ENV = env_choice("HOMEWARD_ENV", "development", {"development", "test", "production"})
PRODUCTION = HOMEWARD_ENV == "production"

_DEV_SECRET = "dev-only-secret-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
DEBUG = env_bool("DEBUG", False)
if PRODUCTION:
    if DEBUG:
        raise ConfigError("DEBUG must be off in production (unset DEBUG or set DEBUG=false)")
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        raise ConfigError(
            "SECRET_KEY must be set to a random value of 50+ characters in production"
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = env_str("SITE_NAME", "Homeward")
# The public address, used in e-mails. (Printed join cards use the address staff print them
# from, which ALLOWED_HOSTS keeps to this site's own names.)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where "Leave this site quickly" goes: a neutral page that gives nothing away.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

INSTALLED_APPS = [
    "homeward.core.apps.HomewardAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Ninja's API docs page from its own bundled files: no CDN and no inline script, so the
    # site-wide Content-Security-Policy holds there too.
    "ninja",
    "homeward.core",
    "homeward.accounts",
    "homeward.community",
    "homeward.prisons",
    "homeward.directory",
    "homeward.casework",
    "homeward.events",
]

MIDDLEWARE = [
    "homeward.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "homeward.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "homeward.core.middleware.StaffSessionMiddleware",
    "homeward.core.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "homeward.urls"
FORM_RENDERER = "homeward.core.forms.FormRenderer"
WSGI_APPLICATION = "homeward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "homeward" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "homeward.core.context_processors.site",
            ],
        },
    },
    # Fragments that repeat on busy pages (homeward/core/jinja2.py says why): autoescaped,
    # compiled once per process; only looked up by render_fragment, never by a page's name.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "homeward.core.jinja2.environment"},
    },
]

DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", "sqlite:///var/homeward.sqlite3"), base_dir=str(BASE_DIR)
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if HOMEWARD_ENV == "test":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # Shared by every gunicorn worker, so rate limits hold across processes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "homeward_cache",
        }
    }

# Services queue tasks with transaction.on_commit, so a rolled-back change queues nothing.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "homeward.accounts.backends.ModelBackend",
    "homeward.accounts.backends.AuthenticationBackend",
]
# Loaded with the signed-in person in one query on every request (reverse one-to-ones): the
# community standing (trust level) and the notification settings (the header's unread count).
AUTH_USER_SELECT_RELATED = ("community_standing", "notification_settings")
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if HOMEWARD_ENV == "test":
    # Argon2 is slow by design; the suite checks behaviour, not hashing cost.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: families sign in with the name they chose (or e-mail if they gave one).
ACCOUNT_ADAPTER = "homeward.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "homeward.accounts.forms.LoginForm",
    "signup": "homeward.accounts.forms.SignupForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "homeward.accounts.validators.username_validators"
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_REAUTHENTICATION_TIMEOUT = 600
# Failed sign-ins are throttled per IP and per account: allauth then refuses the sign-in with a
# plain message beside the form. Too many requests of any kind get our 429 page (handler429).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("RATE_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_RECOVERY_CODE_COUNT = 10
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"

# How long core keeps its records (docs/DATA-PROTECTION.md, "Retention schedule"); a daily job
# deletes what is older. Audit trails of records kept longer (casework) go with those records.
RETENTION_AUDIT_DAYS = env_int("RETENTION_AUDIT_DAYS", 2 * 365, minimum=30)
RETENTION_NOTIFICATION_DAYS = env_int("RETENTION_NOTIFICATION_DAYS", 365, minimum=30)
RETENTION_DATA_REQUEST_DAYS = env_int("RETENTION_DATA_REQUEST_DAYS", 6 * 365, minimum=365)
RETENTION_AUDIT_KEEP_WITH_RECORD = ("casework.",)

# Community events: going members get a reminder this many hours before the start.
EVENT_REMINDER_HOURS = env_int("EVENT_REMINDER_HOURS", 24, minimum=1)

# Staff sign-outs after this long without a request.
STAFF_IDLE_TIMEOUT_SECONDS = env_int("STAFF_IDLE_TIMEOUT_SECONDS", 30 * 60, minimum=60)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "homeward.core.views.errors.csrf_failure"

_email = parse_email_url(env_str("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email.backend
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Homeward <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if HOMEWARD_ENV == "test"
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if PRODUCTION else 60

# Security headers. Production adds HSTS and secure, host-only cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): our own files only, no inline script or style anywhere
# (not even on the Django admin or the API docs page). data: images: allauth's authenticator QR.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Browser features no page of ours uses (core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
# Where core.ratelimit keeps its counters: "database" (one upsert a request, shared by every
# worker; the default without Redis, and what the tests exercise) or "cache" (Redis).
RATE_LIMIT_STORE = env_choice(
    "RATE_LIMIT_STORE",
    "cache" if REDIS_URL and HOMEWARD_ENV != "test" else "database",
    {"database", "cache"},
)
# core.ratelimit: how many requests each named limit allows per key (IP or user) in a period
# ("20/10m": 20 in 10 minutes; periods in s, m, h). A view names its limit in its decorator.
RATE_LIMITS = {
    "join_code": "20/10m",  # join-code attempts per IP (guessing codes)
    "join_batch": "10/h",  # join-card batches a member of staff creates
    "data_export": "5/h",  # data exports a member downloads
    "tip": "10/h",  # tips a member adds to prison pages
    "form": "30/10m",  # other public forms (referrals, contact) per IP
    "referral": "10/h",  # self-referrals a signed-in member sends
    "casework_export": "10/h",  # case-list CSV exports a member of staff downloads
    "search": "60/m",  # site searches per person (or address)
    "profile": "30/h",  # profile saves (each may carry a picture to decode) per member
    "event_rsvp": "30/h",  # "I'm going" / "not going" answers per member
    # Community, after Discourse's defaults. Posting limits differ for new members (trust
    # level 0) and everyone else; moderators and staff have none (community/limits.py).
    "community_topic_new": "1/120s",  # rate_limit_new_user_create_topic
    "community_topic_member": "1/15s",  # rate_limit_create_topic
    "community_reply_new": "1/30s",  # rate_limit_new_user_create_post
    "community_reply_member": "1/5s",  # rate_limit_create_post
    "community_topics_day_new": "20/24h",  # max_topics_per_day (new members: 3 on day one)
    "community_topics_day_member": "20/24h",
    "community_conversation": "20/24h",  # max_personal_messages_per_day (new conversations)
    "community_message": "1/5s",  # a private message every 5 seconds at most
    "community_flag": "20/24h",  # max_flags_per_day
    "community_draft": "120/10m",  # draft saves per member (autosave: one every few seconds)
    "community_vote": "30/10m",  # poll votes (and changed votes) per member
    "community_pictures": "30/h",  # pictures checked (each decoded) per member, posted or not
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    # Behind one proxy (the TLS terminator): per-IP rate limits, allauth's and core.ratelimit's,
    # key on the address it puts last in X-Forwarded-For, not on the proxy's own address.
    ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "homeward.core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [ref %(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
