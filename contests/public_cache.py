"""The contests' namespace in the shared cache of public pages (:mod:`common.page_cache`): the
event list, event pages and host unit pages (with their published notices, approved stages and
complaint channels), dropped at once by the services after any of those changes commits."""

from common.page_cache import PageCache

PUBLIC_PAGES = PageCache("contests:public")
