"""The demands' namespace in the shared cache of public pages (:mod:`common.page_cache`):
the list and detail pages, their counts and the search windows, all dropped at once by
:func:`demands.public.projection.invalidate_public_cache` after anything public about a
demand changes."""

from common.page_cache import PageCache

PUBLIC_PAGES = PageCache("demands:public")
