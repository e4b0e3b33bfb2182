from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    roles = user.role_codes() if user is not None and user.is_authenticated else frozenset()
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "COMPLAINT_HOTLINE": settings.COMPLAINT_HOTLINE,
        "user_roles": roles,
    }
