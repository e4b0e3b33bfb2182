"""Reading pages as a browser would: the forms of a page (with the standard library's HTML
parser, so nothing is assumed about how a template builds them) and its links."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    options: list = field(default_factory=list)
    value: str = ""


@dataclass
class Form:
    action: str  # a same-site path
    method: str  # "get" or "post"
    fields: dict = field(default_factory=dict)  # name → Field

    def key(self):
        return (self.action.split("?", 1)[0], self.method, tuple(sorted(self.fields)))


class _PageParser(HTMLParser):
    def __init__(self, base):
        super().__init__(convert_charrefs=True)
        self.base = base
        self.forms = []
        self.links = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(urljoin(self.base, attrs["href"]))
        elif tag == "form":
            action = urljoin(self.base, attrs.get("action") or self.base)
            self._form = Form(action=action, method=(attrs.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "button") and attrs.get("name"):
            kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
            existing = self._form.fields.get(attrs["name"])
            if existing is not None and kind in ("radio", "checkbox", "submit"):
                existing.options.append(attrs.get("value") or "on")
            else:
                self._form.fields[attrs["name"]] = Field(
                    attrs["name"],
                    kind,
                    [attrs.get("value") or "on"] if kind in ("radio", "checkbox", "submit") else [],
                    attrs.get("value") or "",
                )
        elif tag == "textarea" and attrs.get("name"):
            self._form.fields[attrs["name"]] = Field(attrs["name"], "textarea")
        elif tag == "select" and attrs.get("name"):
            self._select = Field(attrs["name"], "select")
            self._form.fields[attrs["name"]] = self._select
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def same_site_path(url):
    """The path and query of ``url`` if it points to this site, else None."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def parse(html, base):
    """(forms, links) of a page: forms whose action is on this site, links as same-site paths."""
    parser = _PageParser(base)
    parser.feed(html)
    forms = []
    for form in parser.forms:
        path = same_site_path(form.action)
        if path is not None:
            form.action = path
            forms.append(form)
    links = [path for path in map(same_site_path, parser.links) if path is not None]
    return forms, links
