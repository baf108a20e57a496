"""Imported once by the fork server that ``dyads.scale`` forks its workers from: the pipeline and the
tables the coding reads load here, and its caches fill on the demo corpus; every worker starts with them,
sharing their memory."""

import gc
from contextlib import suppress

from dyads.scale import _fill_caches, _load_pipeline

with suppress(Exception):  # a worker then loads the pipeline itself, and says what fails
    _load_pipeline()
    _fill_caches()
gc.freeze()  # what is loaded, out of the collector's reach: its passes would write to the shared pages
