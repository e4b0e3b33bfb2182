"""What each persona gets from the import and export jobs (the world's job belongs to the
organiser of host unit A).

Declared for the permission matrix (vocabulary and outcomes in ``common.permission_matrix``;
checked by ``tests/harness``). Object paths such as ``"@demand.ref"`` name objects of the
harness's world: host unit A's published demand of the owner, and so on.
"""

from common.permission_matrix import AdminModel, route

ROUTES = {
    "job_list": route(
        get={"visitor": "login", "*": "200"},
    ),
    "import_start": route(
        get={"visitor": "login", "host other_host torch": "200", "*": "404"},
        kwargs={"resource_key": "demands.demand"},
    ),
    "export": route(
        get={"visitor": "login", "host other_host torch": "200", "*": "404"},
        kwargs={"resource_key": "demands.demand", "fmt": "csv"},
    ),
    "job_detail": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"pk": "@import_job.pk"},
    ),
    "job_status": route(
        get={"visitor": "login", "host": "200", "*": "404"},
        kwargs={"pk": "@import_job.pk"},
    ),
    "job_confirm": route(
        get={"*": "405"},
        post={"visitor": "login", "host": "302", "*": "404"},
        kwargs={"pk": "@import_job.pk"},
    ),
}

ADMIN = {
    "ImportJob": AdminModel(scope="torch", foreign="@import_job"),
}
