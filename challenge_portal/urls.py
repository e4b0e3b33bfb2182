from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from contests.views import home
from demands.public.sitemaps import SITEMAPS
from notifications import urls as notifications_urls
from push import urls as push_urls

# One sign-in path: the admin's login page sends to allauth's, so the lockout, the rate limits
# and the second factor apply to the admin too (accounts.security).
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("China Innovation Challenge · administration")
admin.site.site_title = _("China Innovation Challenge")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
    path("", include("common.urls")),
    path("", include("contests.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    # Without a CSRF token, so that pages carrying the language switch hold nothing per visitor
    # and can be cached whole (common.page_cache); a forged switch changes only a language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("files/", include("files.urls")),
    # The inbox and the push share the /notifications/ paths and the "notifications" namespace.
    path("notifications/", include((notifications_urls.urlpatterns + push_urls.urlpatterns,
                                    notifications_urls.app_name))),
    path("demands/", include("demands.urls")),
    path("solutions/", include("solutions.urls")),
    path("matching/", include("matching.urls")),
    path("complaints/", include("complaints.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("api/", include("api.urls")),
    path("news/", include("news.urls")),
    path("awards/", include("awards.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
]

