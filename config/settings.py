"""Uppdrag settings: one file, configured by environment variables (django-environ).

Every value has a safe default for production except SECRET_KEY, which production must set
(the settings refuse to load without it when DEBUG is off); with DEBUG on (`make run`) a key is
generated once into a file under var/ that git ignores.
"""

import datetime as dt
import ipaddress
import os
import secrets
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("UPPDRAG_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    """SECRET_KEY from the environment; with DEBUG on, else a per-machine key generated once
    under var/. Production has no fallback: web, worker and beat each have their own var/
    (containers), and a key that differs between them or changes when a container is recreated
    breaks sessions, password-reset links and signed values."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set the SECRET_KEY environment variable: with DEBUG off every process (web, worker, "
            "beat) must be given the same secret key."
        )
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The site's address in e-mails. `make run` passes the address it serves at as SERVER_URL, so
# that links follow its HOST and PORT unless SITE_URL is set (in the environment or in .env).
SITE_URL = env.str(
    "SITE_URL", default=env.str("SERVER_URL", default="http://127.0.0.1:8000")
).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "config.apps.UppdragStaticFilesConfig",
    "django.contrib.humanize",
    "csp",
    "viewflow",
    "viewflow.workflow",
    "django_celery_beat",
    "notifications",
    "rules.apps.AutodiscoverRulesConfig",
    "assignments",
    "people",
    "documents",
    "reports",
    "workflow",
    "reminders",
    "records",  # e-arkiv packages, gallring, the accessibility statement (issue 32)
    "replies",  # answers to reminders, read from the inbound mailbox (issue 31)
    "api",  # the REST API and personal API tokens (issue 19)
    "config.apps.OperationsConfig",  # health checks (config/checks.py) and their command
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's JS and CSS, served from our own origin
    "axes",  # login lockout, see "Logins" below
    "django_prometheus",  # /metrics, see "Health and metrics" below
]

MIDDLEWARE = [
    # first and (but for axes) last: the requests' counts and latencies of /metrics
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "people.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "people.sessions.SessionLifetimeMiddleware",  # idle and absolute limits of a sign-in
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into our lockout page
]

# The benchmarks add a bare page beside ours (bench/_urls.py); nothing else sets this.
ROOT_URLCONF = env.str("ROOT_URLCONF", default="config.urls")
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "assignments.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    # An empty DATABASE_URL (a blank line in an env file) means the embedded default too.
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Keep connections between requests and Celery tasks (a new PostgreSQL connection per reminder
# cost a quarter of its send time); health checks replace one the server has closed.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets web, worker and beat share the embedded database without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # A file, not shared-cache memory, so tests with threads and worker processes see one
    # database and wait for its lock instead of failing with "table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "assignments.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # not a rule for the password: Django's hook after every password change or reset, which
    # revokes the person's API tokens (and says so under the password field)
    {"NAME": "api.receivers.TokensEndWithThePassword"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any check
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, except that PASSWORD_LOGIN_SUPERUSERS_ONLY can refuse passwords
    "people.logins.PasswordBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
# With single sign-on, the password is kept for superusers only (the way in when the region's
# identity provider is down); everyone else signs in with the region's account.
PASSWORD_LOGIN_SUPERUSERS_ONLY = env.bool("PASSWORD_LOGIN_SUPERUSERS_ONLY", default=False)

# -- Single sign-on: OpenID Connect (mozilla-django-oidc, issue 19) ------------------------------
# On when OIDC_RP_CLIENT_ID is set; then the provider's endpoints must be set too. The
# authorization-code flow with PKCE; the ID token is checked against the provider's keys (JWKS).
# A person is matched to an existing account by OIDC_MATCH_CLAIM: "email" (the default) against
# the account's e-mail address, any other claim (e.g. "employeeid") against its employee id.
# people/sso.py says what happens to an unknown or a deactivated person.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
# The provider's end_session endpoint: logging out here ends the provider's session too.
OIDC_OP_LOGOUT_ENDPOINT = env.str("OIDC_OP_LOGOUT_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_MATCH_CLAIM = env.str("OIDC_MATCH_CLAIM", default="email")
# The claim that names the person for good at the provider ("sub"; Entra ID: "oid"): stored on an
# account when a sign-in links it, and from then on the only claim that finds it.
OIDC_ID_CLAIM = env.str("OIDC_ID_CLAIM", default="sub")
# An unknown person gets an account with no role (they see nothing until someone names them in
# an assignment); false refuses them instead.
OIDC_CREATE_USER = env.bool("OIDC_CREATE_USER", default=True)
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider's logout
OIDC_OP_LOGOUT_URL_METHOD = "people.sso.provider_logout_url"
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)  # seconds for each call to the provider
LOGIN_REDIRECT_URL_FAILURE = LOGIN_URL
if OIDC_ENABLED:
    _missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(
            f"OIDC_RP_CLIENT_ID is set, so single sign-on is on: set {', '.join(_missing)} too."
        )
    AUTHENTICATION_BACKENDS.append("people.sso.SingleSignOnBackend")
# -- end of Single sign-on -----------------------------------------------------------------------

# -- The REST API (Django REST framework + drf-spectacular, issue 19) ----------------------------
# Personal API tokens (Authorization: Bearer …, api/tokens.py) or the session (with CSRF for
# writes); JSON only (no browsable API: Swagger UI at /api/docs/ documents and tries it out).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalTokenAuthentication",  # first: a 401 names Bearer
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScope",  # a token of scope "read" writes nothing: 403
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.BoundedJSONParser",  # a too deeply nested body is a 400, not a 500
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Uppdrag API",
    "DESCRIPTION": _(
        "Läs uppdragshandlingar, dina uppgifter och notiser; uppdatera milstolpar, lämna "
        "slutleveransen och besvara den, med samma regler som på webbplatsen. Logga in med en "
        "personlig API-nyckel (Inställningar → API-nycklar) som `Authorization: Bearer <nyckel>`, "
        "eller med din inloggning på webbplatsen. Fel besvaras som JSON på svenska, eller på "
        "engelska med `Accept-Language: en`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
    "ENUM_NAME_OVERRIDES": {
        "AssignmentStateEnum": "assignments.models.Assignment.State",
        "MilestoneStatusEnum": "assignments.models.Milestone.Status",
        "MilestoneKindEnum": "assignments.models.Milestone.Kind",
        "DeliveryStatusEnum": "assignments.models.Delivery.Status",
        "VerdictEnum": "assignments.models.Approval.Verdict",
        "DistributionPurposeEnum": "assignments.models.Distribution.Purpose",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors",
    ],
}
# A personal token expires this many days after it is created, unless its person chooses
# fewer or more, up to the maximum.
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
if not 1 <= API_TOKEN_DEFAULT_DAYS <= API_TOKEN_MAX_DAYS:
    raise ImproperlyConfigured("API_TOKEN_DEFAULT_DAYS is between 1 and API_TOKEN_MAX_DAYS.")
# -- end of the REST API -------------------------------------------------------------------------

# -- Logins: lockout (django-axes) and the password-reset throttle (issue 15) -------------------
# Failed logins lock the account (from any address) and the address (for any account) for a
# cool-off; logins to the admin count the same. people/logins.py says why a successful
# login clears only that person's own failures. Attempts during a lockout do not prolong it.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "people.logins.LoginAttempts"
AXES_CLIENT_IP_CALLABLE = "people.logins.client_address"
AXES_LOCKOUT_CALLABLE = "people.logins.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# No log of successful logins (IP addresses kept without end); failures are deleted after the
# cool-off. Who did what is in our own audit trail.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no start-up banner on every command; failures are still logged
# The networks of the reverse proxies in front of the app (CIDRs, e.g. docker-compose's network):
# X-Forwarded-For is believed only from a peer in one of them, and then the client is its
# right-most address outside them (people.logins.client_address). Empty: REMOTE_ADDR alone. A
# count of proxies is not enough: whoever reaches the app port directly writes the header too.
if "TRUSTED_PROXY_COUNT" in os.environ:
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT is no longer read: set TRUSTED_PROXY_NETWORKS to the proxies' "
        "networks, e.g. 172.30.27.0/24."
    )
try:
    TRUSTED_PROXY_NETWORKS = [
        ipaddress.ip_network(network, strict=False)
        for network in env.list("TRUSTED_PROXY_NETWORKS", default=[])
    ]
except ValueError as error:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_NETWORKS lists networks, e.g. 172.30.27.0/24,10.0.0.5: {error}"
    ) from error
# "Forgot my password" requests per e-mail address and per client address in a window.
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
PASSWORD_RESET_WINDOW_MINUTES = env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60)
# How long a sign-in lasts (people/sessions.py): it ends after SESSION_IDLE_MINUTES without a
# request, and SESSION_MAX_HOURS after it began however busy it was. Creating an API token or a
# calendar address, or changing an e-mail address, asks who it is again unless the session
# signed in or confirmed it within REAUTHENTICATION_MINUTES.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=60)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=10)
REAUTHENTICATION_MINUTES = env.int("REAUTHENTICATION_MINUTES", default=10)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60  # the session's expiry, moved on by each request
# -- end of Logins --------------------------------------------------------------------------------

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploaded documents live here and nothing serves this directory: there is no MEDIA_URL, and
# only a view that checks the assignment's permission hands a document out (assignments/
# storage.py). Keep it off the web server's document root.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# The largest document a delivery may carry (25 MiB); the proxy in front should allow a little
# more, so that a larger file meets our Swedish error instead of the proxy's.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=25 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": {"BACKEND": "assignments.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
# Whether WhiteNoise looks a static file up when it is asked for (with the finders: in the apps'
# folders) rather than listing them all when the middleware starts. Production (and collectstatic)
# lists them once; the tests start a handler for every test client, where the listing of ~900
# files cost 0.18 s each.
WHITENOISE_AUTOREFRESH = env.bool("WHITENOISE_AUTOREFRESH", default=DEBUG)

# Security. With DEBUG off the site is https only: plain http is redirected, browsers are told
# to use https for a year (HSTS) and cookies are sent over https only. Each can be switched off
# through the environment, e.g. SECURE_SSL_REDIRECT=false where the proxy in front redirects.
# A proxy that terminates TLS and talks http to us names the scheme the client used in a
# header; SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https trusts it. Set it only when the
# proxy always sets that header (a client could otherwise claim https itself).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
# The site's own subdomains too; "preload" only consents to browsers' built-in https lists
# (someone must still submit the domain there).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE


def _proxy_ssl_header() -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER as Django wants it: ("HTTP_X_FORWARDED_PROTO", "https")."""
    parts = env.tuple("SECURE_PROXY_SSL_HEADER", default=())
    if not parts:
        return None
    if len(parts) != 2 or not parts[0].startswith("HTTP_"):
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER reads META-NAME,value, e.g. HTTP_X_FORWARDED_PROTO,https"
        )
    return parts


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header()
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts, styles, fonts and images from our own origin
# only, all of them served by WhiteNoise (viewflow's Material components, its fonts and icons
# included: no CDN). No inline script and no on*= handler runs. Two fixed <style> blocks are
# allowed by their hash: the progress bar Turbo adds to every page (ProgressBar.defaultCSS in
# viewflow/js/turbo.es2017-umd.js) and the flow chart's own (viewflow/workflow/graph.svg); any
# other <style> element is refused, so injected markup cannot restyle or read the page with
# selectors. Style *attributes* are allowed: viewflow's templates write some forty of them
# (its dashboard, lists and process pages; ours only the phone timeline's bar positions).
# An attribute styles only its own element, runs no script and loads nothing from elsewhere
# (default-src and img-src still apply to any url() in it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [
            SELF,
            "'sha256-WAyOw4V+FqDc35lQPyRADLBWbuNK8ahvYEaQIYF1+Ps='",  # Turbo's progress bar
            "'sha256-M8YLp52BurxPpYt0Cgj1yb0uSRNVQeG6qA/8hDfuLCo='",  # viewflow's flow chart
        ],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if OIDC_ENABLED and OIDC_OP_LOGOUT_ENDPOINT:
    # "Logga ut" is a form whose answer redirects to the provider's end_session endpoint, and
    # form-action governs where a form's redirects may go too.
    _scheme, _host = OIDC_OP_LOGOUT_ENDPOINT.split("://", 1)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        f"{_scheme}://{_host.split('/', 1)[0]}"
    )

# E-mail: SMTP in production (EMAIL_URL=smtp://host:25), the console when developing.
_email = env.email_url("EMAIL_URL", default="consolemail://")
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    _email["EMAIL_BACKEND"] = "config.mail.ConsoleEmailBackend"  # readable, not MIME
vars().update(_email)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
MESSAGE_ID_DOMAIN = env.str(
    "MESSAGE_ID_DOMAIN", default=SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0]
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Uppdrag <uppdrag@localhost>")
# The mail relay's limit, e.g. "30/m" (Exchange Online: 30 messages a minute per mailbox): the
# rate_limit of the reminder send task, which Celery applies per worker; empty: no limit.
EMAIL_RATE_LIMIT = env.str("EMAIL_RATE_LIMIT", default="") or None
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Answering a reminder by mail (replies/, docs/operations.md): the Reply-To of every mail about
# a milestone, "{token}" replaced by a signed token (empty: no reply address, no answers); how
# long a token is good for; the mailbox the replies arrive in, read over IMAP every minute.
REPLY_ADDRESS = env.str("REPLY_ADDRESS", default="")
REPLY_TOKEN_DAYS = env.int("REPLY_TOKEN_DAYS", default=60)
REPLY_IMAP_HOST = env.str("REPLY_IMAP_HOST", default="")
REPLY_IMAP_PORT = env.int("REPLY_IMAP_PORT", default=993)
REPLY_IMAP_SSL = env.bool("REPLY_IMAP_SSL", default=True)
REPLY_IMAP_USER = env.str("REPLY_IMAP_USER", default="")
REPLY_IMAP_PASSWORD = env.str("REPLY_IMAP_PASSWORD", default="")
# OAuth2 (XOAUTH2, e.g. Exchange Online): an access token instead of the password, when set.
REPLY_IMAP_OAUTH2_TOKEN = env.str("REPLY_IMAP_OAUTH2_TOKEN", default="")
REPLY_IMAP_FOLDER = env.str("REPLY_IMAP_FOLDER", default="INBOX")
REPLY_IMAP_DONE_FOLDER = env.str("REPLY_IMAP_DONE_FOLDER", default="Uppdrag-hanterade")

# The cache holds the login and password-reset throttles' counts, so every web process must
# share it: Redis in production, e.g. CACHE_URL=redis://127.0.0.1:6379/1; files under var/ for
# `make run`.
CACHES = {
    "default": env.cache_url(
        "CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}?max_entries=20000"
    )
}

# Celery: Redis in production and CI; the filesystem transport under var/ needs no server,
# which is what `make run` uses on the embedded default.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    _processed_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),  # default: ./control
        "store_processed": False,
    }
else:
    # No copy of each delivered message in Redis until it is acknowledged (kombu's ack
    # emulation): a reminder whose message is lost with its worker is sent again when its
    # outbox row's lease ends (reminders/dispatch.py), which is sooner than the copy would
    # come back, and Redis here keeps no data over a restart anyway. A lost sweep is followed
    # by the next a minute later; the digest is planned again every half hour until 09:30
    # (reminders/migrations/0004). The copy cost every reminder two round trips to Redis.
    # Messages a worker holds when it stops cleanly are put back in the queue.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"ack_emulation": False}
CELERY_TASK_ANNOTATIONS = {"reminders.send": {"rate_limit": EMAIL_RATE_LIMIT}}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# -- Imports (issue 27; docs/operations.md "Imports") ---------------------------------------------
# An uploaded uppdragshandling is read by a Celery worker in a child process of its own
# (documents/import_jobs.py). Over any of these limits the job stops with a message naming it.
# Seconds of wall-clock (and CPU) time the child may take, Django's start included.
IMPORT_TIME_LIMIT = env.int("IMPORT_TIME_LIMIT", default=30)
# Megabytes of memory the child may use beyond what it has once started (RLIMIT_AS).
IMPORT_MEMORY_LIMIT_MB = env.int("IMPORT_MEMORY_LIMIT_MB", default=512)
IMPORT_MAX_PAGES = env.int("IMPORT_MAX_PAGES", default=100)
# Paragraphs, lines and table rows, together.
IMPORT_MAX_PARAGRAPHS = env.int("IMPORT_MAX_PARAGRAPHS", default=5000)
IMPORT_MAX_TEXT_CHARS = env.int("IMPORT_MAX_TEXT_CHARS", default=500_000)
# What a Word file's zip entries may unpack to, together.
IMPORT_MAX_UNPACKED_MB = env.int("IMPORT_MAX_UNPACKED_MB", default=20)
# An upload nobody confirmed is removed (with its file) after this many hours.
IMPORT_PENDING_HOURS = env.int("IMPORT_PENDING_HOURS", default=24)
# The Celery queue the reading jobs go to: a worker of their own can take them (-Q imports).
IMPORT_QUEUE = env.str("IMPORT_QUEUE", default="celery")

# -- Health and metrics (issue 20; README "Health and metrics") -----------------------------------
# /healthz answers 503 when the last reminder sweep finished longer ago than this (beat sends
# one a minute), or when the oldest reminder due and not sent has waited longer than this (a
# burst under EMAIL_RATE_LIMIT takes its size divided by the rate: keep this above that).
HEALTH_SWEEP_MAX_AGE = dt.timedelta(minutes=env.int("HEALTH_SWEEP_MAX_MINUTES", default=5))
HEALTH_OUTBOX_MAX_DELAY = dt.timedelta(
    minutes=env.int("HEALTH_OUTBOX_MAX_DELAY_MINUTES", default=30)
)
# Seconds to connect to the broker's Redis and for its answer to PING.
HEALTH_REDIS_TIMEOUT = env.float("HEALTH_REDIS_TIMEOUT", default=0.5)
# /metrics: a scraper sends "Authorization: Bearer <METRICS_TOKEN>", or asks from one of these
# networks (the client's address as people.logins.client_address reads it). With DEBUG on
# (`make run`) this machine may; in production nobody, until one of the two is set.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
try:
    METRICS_ALLOWED_NETWORKS = [
        ipaddress.ip_network(network, strict=False)
        for network in env.list(
            "METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"] if DEBUG else []
        )
    ]
except ValueError as error:
    raise ImproperlyConfigured(
        f"METRICS_ALLOWED_NETWORKS lists networks, e.g. 10.0.0.0/8,127.0.0.1: {error}"
    ) from error
# Asked over plain http inside the network (a load balancer, docker-compose's healthcheck,
# Prometheus): not redirected to https.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
# -- end of Health and metrics ---------------------------------------------------------------------

DJANGO_NOTIFICATIONS_CONFIG = {"USE_JSONFIELD": True, "SOFT_DELETE": True}

# Every handler shows a calendar feed's address with its secret redacted (config/logredact.py;
# gunicorn's access log: gunicorn.conf.py), runserver's request lines included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"secrets": {"()": "config.logredact.RedactSecrets"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # axes tells each step of every login at INFO; failures and lockouts are warnings
        "axes": {"level": "WARNING"},
        # a logger's own filter holds before any handler, Django's DEBUG console one included
        "django.request": {"filters": ["secrets"]},
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["secrets"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
