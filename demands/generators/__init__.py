"""Generated demands of realistic Chinese text, without network: the data of ``python -m bench``
(``bench/``), of staging databases (``manage.py generate_demands``) and of tests at a tiny
scale.

Published (and some closed) demands are composed from phrase banks per industry
(:mod:`.banks`, :mod:`.words`, :mod:`.compose`), spread over the current contest's 33 host
units (run ``load_contest`` first), filed by organisations with valid unified social credit
codes, a share of them with hidden fields and hidden passages.

Speed (:mod:`.population`): demands, indicators and organisations are written with
``bulk_create`` in batches; the public snapshot and the search columns are computed before the
insert by the portal's own functions (``demands.public.projection.project`` and
``demands.public.search.DEMANDS.columns``, through :func:`index_values`), with jieba running in
forked worker processes.

Generated rows are recognisable: their organisations' credit codes carry :data:`CODE_MARKER`
(``BENCH``) as the first five characters of the organisation code (positions 9–13), a range no
real code uses, and the one user who "created" them has an address at ``generated.invalid``.
:func:`reset_generated` deletes exactly those rows (and the demands of those organisations).
"""

from .banks import BANKS, FIELD_BANKS
from .compose import CODE_MARKER, Composer, generated_credit_code
from .population import (
    GenerateReport,
    GeneratorError,
    contest_host_units,
    generate,
    generated_demands,
    generated_organisations,
    index_values,
    reset_generated,
)

__all__ = [
    "BANKS",
    "CODE_MARKER",
    "FIELD_BANKS",
    "Composer",
    "GenerateReport",
    "GeneratorError",
    "contest_host_units",
    "generate",
    "generated_credit_code",
    "generated_demands",
    "generated_organisations",
    "index_values",
    "reset_generated",
]
