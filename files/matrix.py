"""Who may download a private file: the world's attachment of host unit A's published demand.

Declared for the permission matrix (vocabulary and outcomes in ``common.permission_matrix``;
checked by ``tests/harness``). Object paths such as ``"@demand.ref"`` name objects of the
harness's world: host unit A's published demand of the owner, and so on.
"""

from common.permission_matrix import AdminModel, route

ROUTES = {
    "download": route(
        get={"owner challenger_granted expert_assigned host torch": "200", "*": "404"},
        post={"*": "405"},
        kwargs={"key": "@attachment.uuid"},
    ),
}

ADMIN = {
    "PrivateFile": AdminModel(scope="torch", foreign="@attachment"),
}
