"""Imported once, by the forkserver that sheet workers are forked from: it loads WeasyPrint
and renders a badge of each size and direction, so that every worker starts with fonts,
stylesheets and Pango's caches ready (about half a second of CPU each, otherwise).

Never imported by the web process or the CLI themselves."""

from __future__ import annotations

import logging

from exhibitions.badges.rendering import warm_up

try:
    warm_up()
except Exception:  # a failed warm-up must not take the forkserver down: workers start cold
    logging.getLogger(__name__).exception("badge workers start cold: the warm-up render failed")
