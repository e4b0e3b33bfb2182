"""Safe import and export on django-import-export: host-scoped rows, capped file reading,
formula-neutralised exports, shared temporary storage and Celery import jobs."""
