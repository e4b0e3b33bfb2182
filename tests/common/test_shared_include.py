"""Layout fragments shared by everyone with the same roles (``{% shared_include %}``) are
rendered once per language and roles, and never show one user's navigation to another."""

from django.urls import reverse

from tests.demands.public_support import *  # noqa: F403


def test_the_navigation_follows_each_users_roles(client, challenger, host_organiser):
    manage = reverse("demands:manage")
    client.force_login(host_organiser)
    assert manage in client.get(reverse("demands:list")).content.decode()
    client.force_login(challenger)
    challenger_page = client.get(reverse("demands:list")).content.decode()
    assert manage not in challenger_page
    assert reverse("solutions:mine") in challenger_page
    client.logout()
    anonymous = client.get(reverse("demands:list")).content.decode()
    assert reverse("accounts:dashboard") not in anonymous


def test_the_fragment_follows_the_language(client, db):
    english = client.get(reverse("demands:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(reverse("demands:list"), HTTP_ACCEPT_LANGUAGE="zh-hans",
                         ).content.decode()
    assert "Privacy notice" in english and "Privacy notice" not in chinese
