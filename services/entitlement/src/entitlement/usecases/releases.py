"""Releases and public patches, and the customers each concerns."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from entitlement.commands import ReleaseCreate
from entitlement.domain.catalogue import Tier
from entitlement.readmodels import ReleaseRead
from entitlement.uow import ReleaseExists, UnitOfWork
from shared.errors import Conflict, NotFound
from shared.events.base import new_id
from shared.events.contracts import ReleasePublished


async def publish_release(cmd: ReleaseCreate, uow: UnitOfWork, *, now: datetime) -> ReleaseRead:
    """Record a release or public patch and announce it to the customers it concerns.

    Those are the customers that list the product and have standard or higher support
    now (an active contract, or the warranty): basic gets no update notices.
    """
    product = cmd.product.strip()
    async with uow:
        concerned = await uow.releases.customers_served(product, at_least=Tier.standard, now=now)
        release_id = new_id()
        try:
            read = await uow.releases.add(
                {
                    "id": release_id,
                    "product": product,
                    "version": cmd.version.strip(),
                    "kind": cmd.kind,
                    "notes": cmd.notes,
                    "customer_ids": concerned,
                    "published_at": now,
                }
            )
        except ReleaseExists:
            raise Conflict(
                f"{cmd.kind} {cmd.version} of {product} is already published; "
                "see GET /api/v1/releases?product=...",
                slug="release-exists",
            ) from None
        await uow.outbox.publish(
            ReleasePublished(
                release=read.model_dump(mode="json", exclude={"customer_ids"}),
                customer_ids=concerned,
                release_id=release_id,
                product=read.product,
                version=read.version,
                kind=read.kind,
            ),
            subject=str(release_id),
        )
        await uow.commit()
    return read


async def list_releases(
    uow: UnitOfWork, *, product: str | None, limit: int, offset: int
) -> list[ReleaseRead]:
    """Return releases, newest first."""
    async with uow:
        return await uow.releases.page(product=product, limit=limit, offset=offset)


async def get_release(release_id: UUID, uow: UnitOfWork) -> ReleaseRead:
    """Return one release."""
    async with uow:
        found = await uow.releases.get(release_id)
    if found is None:
        raise NotFound(
            f"No release {release_id}; list them with GET /api/v1/releases.", slug="unknown-release"
        )
    return found
