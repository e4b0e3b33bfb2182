"""The browser journeys' toolkit: a :class:`Journey` wraps the Playwright page of the
``browser_page`` fixture (tests/conftest.py) with the live server's URL, numbered full-page
screenshots in ``tests/screenshots/<test>/<n>-<step>.png``, and a watch on everything the
browser reports: console messages, Content Security Policy violations (console text and the
``securitypolicyviolation`` DOM event), uncaught page errors and server errors (5xx).

Every test that uses ``journey`` fails at teardown if the browser saw a CSP violation, a page
error or a 5xx response, so no journey can hide one.
"""

import re
import shutil
import time
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"

# Seconds a TOTP code must still be valid for when it is typed in (see totp_code).
TOTP_MARGIN = 4

# Reported by Chromium in the console when the policy blocks something.
CSP_PATTERN = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)

# Runs in every document before the page's own scripts (through the DevTools protocol, so the
# page's CSP does not apply to it) and reports each violation to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__portalReportCsp(event.violatedDirective + " blocked " + (event.blockedURI || "inline")
                           + " at " + event.documentURI);
});
"""


class Journey:
    """One user's walk through the portal in a real browser."""

    def __init__(self, page, base_url, name):
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.directory = SCREENSHOTS / name
        self.steps = 0
        self.console = []          # (type, text, url)
        self.csp_events = []       # texts of securitypolicyviolation events
        self.page_errors = []
        self.server_errors = []    # (status, url)
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.watch(page)

    # --- what the browser reports -------------------------------------------------------------
    def watch(self, page):
        page.on("console", lambda message: self.console.append(
            (message.type, message.text, page.url)))
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.on("response", lambda response: self.server_errors.append(
            (response.status, response.url)) if response.status >= 500 else None)
        page.expose_function("__portalReportCsp", self._report_csp)
        page.add_init_script(CSP_LISTENER)

    def _report_csp(self, text):
        self.csp_events.append(text)

    def csp_violations(self):
        from_console = [f"{kind}: {text} ({url})" for kind, text, url in self.console
                        if CSP_PATTERN.search(text)]
        return from_console + list(self.csp_events)

    def forget_csp_violations(self):
        """Drop what was reported so far (after a violation caused on purpose)."""
        self.console = [entry for entry in self.console if not CSP_PATTERN.search(entry[1])]
        self.csp_events.clear()

    def problems(self):
        return {
            "CSP violations": self.csp_violations(),
            "page errors": self.page_errors,
            "server errors": self.server_errors,
        }

    def assert_clean(self):
        found = {kind: items for kind, items in self.problems().items() if items}
        assert not found, f"the browser reported problems: {found}"

    # --- navigation -----------------------------------------------------------------------------
    def url(self, path):
        return path if path.startswith("http") else self.base_url + path

    def goto(self, path):
        response = self.page.goto(self.url(path))
        assert response is not None and response.status < 400, (
            f"{path} answered {response.status if response else 'nothing'}")
        return response

    def path(self):
        """The path (and query) of the page now shown."""
        return self.page.url.removeprefix(self.base_url)

    def shot(self, step):
        """Full-page screenshot ``<n>-<step>.png`` of what the user sees now."""
        self.steps += 1
        self.page.wait_for_load_state("load")
        target = self.directory / f"{self.steps:02d}-{step}.png"
        self.page.screenshot(path=str(target), full_page=True)
        return target

    def messages(self):
        """The flashed messages shown on the page."""
        return self.page.locator("main .messages .alert").all_inner_texts()

    def text(self, selector="main"):
        return self.page.locator(selector).first.inner_text()

    def submit(self, selector):
        """Click a submit button and wait for the page it leads to."""
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()

    # --- signing in -----------------------------------------------------------------------------
    def sign_in(self, email, password):
        """Sign in through allauth's page, as the user would (staff then get the second
        step: see :func:`totp_code`)."""
        self.goto("/accounts/login/")
        self.page.fill("input[name=login]", email)
        self.page.fill("input[name=password]", password)
        self.submit("form:has(input[name=password]) [type=submit]")
        assert "/accounts/login" not in self.page.url, self.text()

    def sign_out(self):
        """With the button in the portal's header (from the home page when the page now shown
        has no portal header, as in Django admin)."""
        button = self.page.locator("header form[action$='/accounts/logout/'] [type=submit]")
        if not button.count():
            self.goto("/")
        self.submit("header form[action$='/accounts/logout/'] [type=submit]")
        assert self.page.locator("header a[href^='/accounts/login/']").count() == 1


def totp_code(secret):
    """The code an authenticator app shows now for ``secret`` (allauth's own HOTP).

    allauth accepts only the current period's code (no tolerance), so a code that would expire
    within a few seconds, before the form reaches the server, is not handed out: wait for the
    next one, as a person would.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < TOTP_MARGIN:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))
