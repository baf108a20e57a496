"""Imported once by the fork server that ``dyads.scale`` forks its workers from: the pipeline and the
tables the coding reads load here, and every worker starts with them, sharing their memory."""

import gc
from contextlib import suppress

from dyads.scale import _load_pipeline

with suppress(Exception):  # a worker then loads the pipeline itself, and says what fails
    _load_pipeline()
gc.freeze()  # what is loaded, out of the collector's reach: its passes would write to the shared pages
