"""Import of achievements in the standard format (成果库导入), for host staff and Torch Center
staff: the format (:mod:`.format`), the resource that reads, checks and writes a file on the
portal's import base (:mod:`.resources`), the downloadable template (:mod:`.template`) and the
pages with their URLs (:mod:`.views`, :mod:`.urls`)."""
