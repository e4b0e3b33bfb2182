"""What each persona gets from the account pages, and from allauth's sign-in, e-mail and
two-factor pages that the project includes under ``accounts/`` (keyed by their full names).

Declared for the permission matrix (vocabulary and outcomes in ``common.permission_matrix``;
checked by ``tests/harness``). Object paths such as ``"@demand.ref"`` name objects of the
harness's world: host unit A's published demand of the owner, and so on.
"""

from common.permission_matrix import AdminModel, route

ROUTES = {
    "dashboard": route(
        get={"visitor": "login", "*": "200"},
    ),
    "profile": route(
        get={"visitor": "login", "*": "200"},
    ),
    "roles": route(
        get={"visitor": "login", "*": "200"},
        post={"visitor": "login", "*": "302"},
    ),
    "organisation_create": route(
        get={"visitor": "login", "*": "200"},
    ),
    "organisation_join": route(
        get={"visitor": "login", "*": "200"},
        post={"visitor": "login", "*": "404"},
    ),
    "organisation_detail": route(
        get={"visitor": "login", "owner torch": "200", "*": "404"},
        kwargs={"pk": "@owner_org.pk"},
    ),
    "membership_decide": route(
        get={"visitor": "login", "*": "405"},
        post={"visitor": "login", "owner torch": "302", "*": "404"},
        kwargs={"pk": "@membership.pk"},
    ),
    "signatures": route(
        get={"visitor": "login", "*": "200"},
    ),
    "agreements_sign": route(
        get={
            "visitor": "login",
            "challenger challenger_granted expert expert_assigned": "302",
            "*": "200",
        },
        post={"visitor": "login", "*": "200"},
    ),
    "privacy": route(
        get={"*": "200"},
    ),
    "privacy_export": route(
        get={"visitor": "login", "*": "200"},
    ),
    "privacy_delete": route(
        get={"visitor": "login", "*": "200"},
    ),
    "account_login": route(
        get={"visitor": "200", "*": "302"},
    ),
    "account_logout": route(
        get={"visitor": "302", "*": "200"},
        post={"*": "302"},
    ),
    "account_inactive": route(
        get={"*": "200"},
        post={"*": "405"},
    ),
    "account_signup": route(
        get={"visitor": "200", "*": "302"},
    ),
    "account_reauthenticate": route(
        get={"visitor": "login", "*": "200"},
    ),
    "account_request_reauthentication_code": route(
        get={"visitor": "login", "*": "302"},
    ),
    "account_confirm_reauthentication_code": route(
        get={"visitor": "login", "*": "302"},
    ),
    "account_email": route(
        get={"visitor": "login", "*": "200"},
        post={"visitor": "login", "*": "302"},
    ),
    "account_email_verification_sent": route(
        get={"*": "200"},
        post={"*": "405"},
    ),
    "account_change_password": route(
        get={"visitor": "login", "*": "200"},
    ),
    "account_set_password": route(
        get={"visitor": "login", "*": "302"},
    ),
    "account_reset_password": route(
        get={"*": "200"},
    ),
    "account_confirm_login_code": route(
        get={"visitor": "login", "*": "302"},
    ),
    "account_confirm_email": route(
        get={"*": "200"},
        post={"*": "404"},
        kwargs={"key": "bogus-key"},
    ),
    "account_reset_password_from_key_done": route(
        get={"*": "200"},
        post={"*": "405"},
    ),
    "account_reset_password_from_key": route(
        get={"*": "200"},
        kwargs={"uidb36": "1", "key": "bogus-key"},
    ),
    "account_reset_password_done": route(
        get={"*": "200"},
        post={"*": "405"},
    ),
    "mfa_index": route(
        get={"visitor": "login", "*": "200"},
        post={"visitor": "login", "*": "405"},
    ),
    "mfa_authenticate": route(
        get={"visitor": "login", "*": "302"},
    ),
    "mfa_reauthenticate": route(
        get={"visitor": "login", "expert expert_assigned host other_host torch": "200", "*": "302"},
    ),
    "mfa_activate_totp": route(
        get={"visitor": "login", "*": "302"},
    ),
    "mfa_deactivate_totp": route(
        get={"visitor": "login", "expert expert_assigned host other_host torch": "302", "*": "404"},
    ),
    "mfa_view_recovery_codes": route(
        get={"visitor": "login", "*": "404"},
        post={"visitor": "login", "*": "405"},
    ),
    "mfa_generate_recovery_codes": route(
        get={"visitor": "login", "*": "302"},
    ),
    "mfa_download_recovery_codes": route(
        get={"visitor": "login", "*": "404"},
    ),
}


ADMIN = {
    "User": AdminModel(scope="torch", foreign="@user_owner"),
    "Role": AdminModel(scope="torch", foreign="@user_owner.roles.first"),
    "Organisation": AdminModel(
        scope="host",
        own="@owner_org",
        foreign="@foreign_org",
        note="Host organisers view organisations and verify them; only Torch staff change them.",
    ),
    "Membership": AdminModel(scope="torch", foreign="@membership"),
    "Agreement": AdminModel(scope="torch", foreign="@agreement"),
    "AgreementSignature": AdminModel(scope="torch", foreign="@user_challenger.signatures.first"),
    # allauth's and Django's models, registered by them
    "Group": AdminModel(scope="superuser"),
    "Site": AdminModel(scope="superuser"),
    "EmailAddress": AdminModel(scope="superuser"),
    "Authenticator": AdminModel(scope="superuser", foreign="@user_torch.authenticator_set.first"),
}
