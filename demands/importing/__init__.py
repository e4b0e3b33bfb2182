"""Import and export of demands in the standard format (技术需求表), for host staff and Torch
Center staff: the format (:mod:`.format`, :mod:`.widgets`), the resource that reads and checks
a file and hands it to the demand services' bulk forms (:mod:`.resources`), the downloadable
template (:mod:`.template`), and the organiser pages with their URLs (:mod:`.views`,
:mod:`.urls`)."""
