"""Security settings: password rules, sign-in protection (allauth), sessions, cookies, HTTPS
and HSTS, the content security policy. Imported by ``challenge_portal.settings``.
"""

from csp.constants import NONE, SELF

from .settings_env import DEBUG, env, envbool, envint

__all__ = [
    "AUTH_PASSWORD_VALIDATORS",
    "ACCOUNT_ADAPTER", "LOGIN_LOCKOUT_FAILURES", "LOGIN_LOCKOUT_SECONDS", "ACCOUNT_RATE_LIMITS",
    "ACCOUNT_SESSION_REMEMBER", "MFA_SUPPORTED_TYPES", "MFA_TOTP_ISSUER",
    "SESSION_ENGINE", "SESSION_COOKIE_HTTPONLY", "SESSION_IDLE_TIMEOUT", "SESSION_COOKIE_AGE",
    "SESSION_COOKIE_SAMESITE", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY", "TRUSTED_PROXY_COUNT",
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_REDIRECT_EXEMPT",
    "CONTENT_SECURITY_POLICY",
]

# --- passwords --------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("email", "full_name", "mobile")}},
    # Containing the mobile number, the name or the e-mail local part is refused too.
    {"NAME": "accounts.password_validation.PersonalDataValidator",
     "OPTIONS": {"user_attributes": ("mobile", "full_name", "email")}},
    # MLPS 2.0: at least 8 characters from 3 of the 4 classes (lower, upper, digit, symbol).
    {"NAME": "accounts.password_validation.CharacterClassValidator",
     "OPTIONS": {"min_length": 8, "min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- sign-in protection -----------------------------------------------------------------------
# Sign-in protection (accounts.security): 5 failed sign-ins lock the account (keyed on the
# e-mail address, never the IP) for 15 minutes, counted in the shared cache; allauth's own
# login_failed limit carries the same numbers, plus 10 failures a minute per client IP.
ACCOUNT_ADAPTER = "accounts.security.PortalAccountAdapter"
LOGIN_LOCKOUT_FAILURES = envint("LOGIN_LOCKOUT_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = envint("LOGIN_LOCKOUT_SECONDS", 15 * 60)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"10/m/ip,{LOGIN_LOCKOUT_FAILURES}/{LOGIN_LOCKOUT_SECONDS}s/key",
}
# No "remember me": sessions end after SESSION_IDLE_TIMEOUT without activity whatever happens.
ACCOUNT_SESSION_REMEMBER = False
# Host organisers, experts and Torch staff must use an authenticator app (RequireMFAForStaff…).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "中国创新挑战赛")

# --- sessions, cookies, HTTPS -----------------------------------------------------------------
# Sessions are written to the database and read from the cache when it has them: a cache
# outage (or an eviction) signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
# MLPS 2.0: idle sessions end after at most 30 minutes (accounts.security.IdleTimeoutMiddleware
# signs the user out; the stored session expires at the same age).
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# How many reverse proxies in front of the portal append to X-Forwarded-For; 0 trusts none.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
if envbool("SECURE_PROXY_SSL", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    __all__ += ["SECURE_PROXY_SSL_HEADER"]
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

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
