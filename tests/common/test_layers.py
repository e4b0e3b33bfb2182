"""Dependencies point one way, for what an import graph does not see either.

``lint-imports`` (run by ``make test``) checks the Python imports against the contracts in
pyproject.toml. A model can also name another app's model in a string — a ``ForeignKey``,
``OneToOneField``, ``ManyToManyField`` or ``GenericRelation`` to ``"app.Model"``, or
``apps.get_model("app", "Model")`` / ``get_model("app.Model")`` — and then depends on that app
without importing it. This test reads those strings in the portal's code (migrations aside:
they record history) and fails when one points from a lower layer to a higher one, in the layer
order of the same pyproject.toml contract.
"""

import ast
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField", "GenericRelation"}


def _contract(contract_id):
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    settings = config["tool"]["importlinter"]
    contract = next(c for c in settings["contracts"] if c["id"] == contract_id)
    return settings, contract


def layer_order():
    """``{package: (rank, independent)}``: rank 0 is the top layer. Apps in parentheses (not
    written yet) are listed too, so a reference to one is ranked once it exists."""
    _settings, contract = _contract("layers")
    order = {}
    for rank, line in enumerate(contract["layers"]):
        independent = ":" not in line
        for name in line.replace(":", "|").split("|"):
            order[name.strip().strip("()")] = (rank, independent)
    return order


def package_of_label(app_label):
    """The top-level package of the installed app with this label (None outside the portal)."""
    try:
        return apps.get_app_config(app_label).name.split(".")[0]
    except LookupError:
        return None


def _name(func):
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _string(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def model_references(tree):
    """``[(line, "app_label")]`` of every string model reference in a module."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        strings = []
        if name in RELATIONS:
            strings = [_string(node.args[0])] if node.args else []
            strings += [_string(kw.value) for kw in node.keywords if kw.arg in ("to", "through")]
            strings = [s for s in strings if s and "." in s]
            labels = [s.split(".")[0] for s in strings]
        elif name == "get_model" and node.args:
            first = _string(node.args[0])
            labels = [first.split(".")[0]] if first else []
        else:
            continue
        found += [(node.lineno, label) for label in labels]
    return found


def portal_modules():
    """``(package, path)`` of every module of the portal's apps, migrations left out."""
    settings, _contract_ = _contract("layers")
    for package in settings["root_packages"]:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield package, path


def upward_references():
    """Every string model reference from a lower layer to a higher one (or to an independent
    sibling), as readable lines."""
    order = layer_order()
    broken = []
    for package, path in portal_modules():
        if package not in order:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, label in model_references(tree):
            target = package_of_label(label)
            if target is None or target == package or target not in order:
                continue
            (rank, independent), (target_rank, _) = order[package], order[target]
            if target_rank < rank or (target_rank == rank and independent):
                broken.append(f"{path.relative_to(ROOT)}:{line} {package} -> {target}")
    return broken


def test_string_model_references_point_downwards():
    assert upward_references() == []


def test_the_scanner_sees_each_kind_of_reference():
    tree = ast.parse(
        "a = models.ForeignKey('contests.Contest', on_delete=None)\n"
        "b = models.ManyToManyField(to='demands.Demand')\n"
        "c = GenericRelation('files.PrivateFile')\n"
        "d = apps.get_model('contests', 'Contest')\n"
        "e = apps.get_model('demands.Demand')\n"
        "f = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=None)\n"
        "g = models.ForeignKey('self', on_delete=None)\n"
    )
    assert model_references(tree) == [
        (1, "contests"),
        (2, "demands"),
        (3, "files"),
        (4, "contests"),
        (5, "demands"),
    ]


def test_layer_order_is_the_contracts():
    order = layer_order()
    names = ("api", "dashboards", "complaints", "matching", "solutions", "demands", "contests",
             "accounts", "common")
    assert order["awards"] == order["complaints"]
    ranks = [order[name][0] for name in names]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(names)
    assert order["push"] == order["solutions"] and order["solutions"][1]
    assert order["files"] == order["notifications"] == order["common"] == order["audit"]
