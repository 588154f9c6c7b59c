"""Customers as the company's systems and mail know them: found by address, created or
updated by an integration (tier, attributes), listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tandem.conversations import repository
from tandem.conversations.models import Customer, Tier
from tandem.core.errors import ConflictError, InvalidInputError


async def customer_for_address(session: AsyncSession, *, email: str, name: str | None) -> Customer:
    """Return the customer with this e-mail address, creating one if there is none.

    Safe when two messages from a new address arrive at once: the loser of the insert finds
    the winner's row.
    """
    address = email.lower()
    customer = await repository.find_customer(session, email=address)
    if customer is not None:
        return customer
    try:
        async with session.begin_nested():
            customer = Customer(email=address, name=name, tier=Tier.STANDARD)
            session.add(customer)
            await session.flush()
    except IntegrityError:
        customer = await repository.find_customer(session, email=address)
        if customer is None:
            raise
    return customer


def _merge_attributes(stored: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = {**stored, **{k: v for k, v in changes.items() if v is not None}}
    return {k: v for k, v in merged.items() if changes.get(k, 0) is not None}


@dataclass(frozen=True, slots=True)
class CustomerChanges:
    """What the company's systems say about a customer; None leaves a field as it is."""

    email: str | None = None
    external_id: str | None = None
    name: str | None = None
    tier: Tier | None = None
    attributes: dict[str, Any] = field(default_factory=dict)  # null values remove keys


async def do_upsert_customer(
    session: AsyncSession, changes: CustomerChanges
) -> tuple[Customer, bool]:
    """Create or update a customer from the company's systems; return it and whether it is new.

    Matched by external id, then by e-mail (so a CRM sync merges into the customer who chatted
    or mailed with that address); attributes are merged, a null value removing a key.
    """
    if not changes.email and not changes.external_id:
        raise InvalidInputError("Give the customer's email or external_id, to find or make them.")
    customer = None
    if changes.external_id:
        customer = await repository.find_customer(session, external_id=changes.external_id)
    if customer is None and changes.email:
        customer = await repository.find_customer(session, email=changes.email.lower())
    created = customer is None
    if customer is None:
        customer = Customer(tier=changes.tier or Tier.STANDARD)
        session.add(customer)
    await do_update_customer(session, customer, changes)
    return customer, created


async def do_update_customer(
    session: AsyncSession, customer: Customer, changes: CustomerChanges
) -> Customer:
    """Change what is given; attributes are merged, a null value removing a key."""
    if changes.email is not None:
        customer.email = changes.email.lower()
    if changes.external_id is not None:
        customer.external_id = changes.external_id
    if changes.name is not None:
        customer.name = changes.name
    if changes.tier is not None:
        customer.tier = changes.tier
    if changes.attributes:
        customer.attributes = _merge_attributes(dict(customer.attributes or {}), changes.attributes)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as error:
        raise ConflictError(
            "Another customer has this email or external_id; update that one instead."
        ) from error
    return customer


async def list_customers(
    session: AsyncSession, *, email: str | None, before_id: int | None, limit: int
) -> list[Customer]:
    return list(
        await repository.list_customers(session, email=email, before_id=before_id, limit=limit)
    )
