"""What the scheduler (and ``exhibitions badges``) calls: thin, the rules are in services."""

from __future__ import annotations

from exhibitions.badges import services
from exhibitions.settings import Settings


async def render_badge_batches(settings: Settings) -> list[services.RenderedBatch]:
    """Render the queued badge batches, oldest first, and any whose worker stopped beating
    (the process died): each is claimed by one conditional UPDATE, so two schedulers never
    render the same batch. A failure is recorded on the batch, which waits for a Retry."""
    return await services.render_due_batches(base_url=settings.base_url, data_dir=settings.data_dir)
