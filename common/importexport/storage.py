"""Where the admin keeps an upload between its dry run and the confirm POST.

django-import-export's default (``TempFolderStorage``) writes to the local /tmp of the replica
that served the dry run; the confirm POST may land on another replica and find nothing. This
storage writes to the default storage instead (private: ``PRIVATE_MEDIA_ROOT`` on one machine,
an S3 bucket through django-storages in production), which every replica and worker shares.
A storage alias ``import_export`` in ``STORAGES`` takes precedence if one is configured.
"""

import logging
from datetime import timedelta

from django.utils import timezone
from import_export.tmp_storages import MediaStorage

logger = logging.getLogger(__name__)

TMP_FOLDER = "import-tmp"


class SharedTmpStorage(MediaStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("MEDIA_FOLDER", TMP_FOLDER)
        super().__init__(**kwargs)

    @property
    def storage(self):
        return self._storage


def purge_stale_tmp_files(*, older_than=timedelta(days=1)):
    """Delete previews never confirmed (the admin removes a file only on confirm).
    Returns how many files were deleted."""
    storage = SharedTmpStorage().storage
    try:
        _dirs, files = storage.listdir(TMP_FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    deleted = 0
    for name in files:
        path = f"{TMP_FOLDER}/{name}"
        try:
            if storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                deleted += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    if deleted:
        logger.info("purged %s stale import preview files", deleted)
    return deleted
