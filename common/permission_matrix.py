"""The vocabulary of the permission matrix: what each persona gets from each named URL.

Each app declares, in a ``matrix.py`` beside its ``urls.py``, one ``Route`` per URL name
(``ROUTES``) and one ``AdminModel`` per model it registers in Django admin (``ADMIN``). The
harness (``tests/harness``) walks the URL resolver, finds the declaration of every named URL
and checks each cell as each persona of one shared world; a named URL without a declaration
fails the suite. Keys of ``ROUTES`` are URL names as the app's ``urls.py`` spells them (without
the namespace, so a route keeps its entry if its namespace changes), or full names such as
``"account_login"`` for views of other packages whose URLs the project includes.

Outcomes, as the harness reads a response:
``"200"`` (any 2xx), ``"302"`` (a redirect elsewhere than below), ``"login"`` (to the sign-in
page), ``"sign"`` (to the agreements to sign first), ``"mfa"`` (to the authenticator set-up),
``"403"``, ``"404"`` (the denial of a page: it does not say the object exists), ``"405"``,
``"400"``.
"""

from dataclasses import dataclass, field

PERSONAS = (
    "visitor",
    "owner",
    "other_company",
    "challenger",
    "challenger_granted",
    "expert",
    "expert_assigned",
    "host",
    "other_host",
    "agency",
    "torch",
)
OUTCOMES = frozenset({"200", "302", "login", "sign", "mfa", "403", "404", "405", "400"})
ALLOWED = frozenset({"200", "302"})


def cells(spec):
    """``{"owner host torch": "200", "visitor": "login", "*": "404"}`` → one outcome per
    persona. ``"*"`` stands for every persona not named; without it, each must be named."""
    spec = dict(spec or {})
    rest = spec.pop("*", None)
    result = {}
    for names, outcome in spec.items():
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        for name in names.split():
            if name not in PERSONAS:
                raise ValueError(f"unknown persona {name!r}")
            if name in result:
                raise ValueError(f"persona {name!r} named twice")
            result[name] = outcome
    for name in PERSONAS:
        if name not in result:
            if rest is None:
                raise ValueError(f"no outcome for persona {name!r}")
            if rest not in OUTCOMES:
                raise ValueError(f"unknown outcome {rest!r}")
            result[name] = rest
    return result


@dataclass(frozen=True)
class Route:
    """What each persona gets from one named URL.

    ``kwargs``: URL arguments, as values or ``"@object.attribute"`` paths into the harness's
    world (``"@demand.ref"``). ``get`` / ``post``: persona → outcome (see ``cells``). ``data``:
    the body of the POST (what would change something if allowed). ``query``: GET parameters.
    ``xfail``: ``{(method, persona): reason}`` for a cell known to be wrong today; the harness
    marks it strict, so it fails once fixed and must then be removed here.
    """

    get: dict
    post: dict
    kwargs: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    xfail: dict = field(default_factory=dict)
    note: str = ""


def route(*, get, post=None, kwargs=None, data=None, query=None, xfail=None, note=""):
    return Route(
        get=cells(get),
        post=cells(post if post is not None else get),
        kwargs=dict(kwargs or {}),
        data=dict(data or {}),
        query=dict(query or {}),
        xfail=dict(xfail or {}),
        note=note,
    )


# Shapes that recur.
def public(post="405"):
    """A page for everyone; POST answers ``post``."""
    return {"*": "200"}, {"*": post}


def signed_in(get="200", post="405", visitor="login"):
    return {"visitor": visitor, "*": get}, {"visitor": visitor, "*": post}


@dataclass(frozen=True)
class AdminModel:
    """How Django admin scopes one model.

    ``scope``: ``"host"`` (host organisers see their own units' rows, Torch staff all),
    ``"shared"`` (reference data every host organiser may view), ``"torch"`` (Torch staff
    only), ``"superuser"`` (models of Django and allauth that only a superuser manages).
    ``own`` / ``foreign``: world paths of a row of the host organiser's unit and of another
    unit's (for ``"torch"`` models, ``foreign`` is any row). ``hidden``: a row nobody
    but its owner may open, not even Torch staff (a company's unsubmitted draft). ``xfail``:
    ``{check: reason}`` for checks known to fail today (strict, as for routes).
    """

    scope: str
    own: str = ""
    foreign: str = ""
    hidden: str = ""
    xfail: dict = field(default_factory=dict)
    note: str = ""

    def __post_init__(self):
        if self.scope not in {"host", "shared", "torch", "superuser"}:
            raise ValueError(f"unknown admin scope {self.scope!r}")


