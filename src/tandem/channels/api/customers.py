"""Customers for integrations: the company's systems create and update them (tier, attributes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, Field

from tandem.auth import audit
from tandem.auth.access import SUPERVISORS, require_role
from tandem.auth.deps import CurrentAgent
from tandem.conversations import customers as customer_service
from tandem.conversations import service as conversation_service
from tandem.conversations.customers import CustomerChanges
from tandem.conversations.models import Customer
from tandem.conversations.schemas import CustomerRead, CustomerUpdate, CustomerUpsert
from tandem.core.deps import MAX_ROW_ID, SessionDep
from tandem.core.errors import InvalidInputError

router = APIRouter(prefix="/api/v1/customers", tags=["integrations"])
CustomerId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


class CustomerPage(BaseModel):
    items: list[CustomerRead]
    next: str | None = Field(description="Pass as ?cursor= for the next page; null on the last.")


def _read(customer: Customer) -> CustomerRead:
    return CustomerRead(
        id=customer.id,
        email=customer.email,
        external_id=customer.external_id,
        name=customer.name,
        tier=customer.tier,
        attributes=dict(customer.attributes or {}),
        created_at=customer.created_at,
    )


def _changes(body: CustomerUpsert | CustomerUpdate) -> CustomerChanges:
    return CustomerChanges(
        email=str(body.email) if body.email else None,
        external_id=body.external_id,
        name=body.name,
        tier=body.tier,
        attributes=dict(body.attributes),
    )


@router.get("")
async def list_customers(
    agent: CurrentAgent,
    session: SessionDep,
    email: Annotated[str | None, Query(max_length=320)] = None,
    cursor: Annotated[str | None, Query(max_length=20, pattern=r"^\d+$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CustomerPage:
    """Customers, newest first; ``email`` finds one."""
    before = int(cursor) if cursor else None
    if before is not None and before > MAX_ROW_ID:
        raise InvalidInputError("That cursor is not one this API gave out.")
    rows = await customer_service.list_customers(
        session, email=email, before_id=before, limit=limit + 1
    )
    page = rows[:limit]
    return CustomerPage(
        items=[_read(c) for c in page], next=str(page[-1].id) if len(rows) > limit else None
    )


@router.get("/{customer_id}")
async def get_customer(
    customer_id: CustomerId, agent: CurrentAgent, session: SessionDep
) -> CustomerRead:
    return _read(await conversation_service.get_customer(session, customer_id))


@router.post("", responses={200: {"description": "An existing customer, updated"}})
async def upsert_customer(
    body: CustomerUpsert, agent: CurrentAgent, session: SessionDep, response: Response
) -> CustomerRead:
    """Create a customer (201), or update the one with this external_id or email (200)."""
    require_role(agent, SUPERVISORS, doing="change customers")
    customer, created = await customer_service.do_upsert_customer(session, _changes(body))
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    await audit.record(
        session, "customer.created" if created else "customer.updated", actor=agent,
        target=str(customer.id),
    )  # fmt: skip
    return _read(customer)


@router.patch("/{customer_id}")
async def update_customer(
    customer_id: CustomerId, body: CustomerUpdate, agent: CurrentAgent, session: SessionDep
) -> CustomerRead:
    """Change what is given; attributes are merged, and a null value removes that key."""
    require_role(agent, SUPERVISORS, doing="change customers")
    customer = await conversation_service.get_customer(session, customer_id)
    await customer_service.do_update_customer(session, customer, _changes(body))
    await audit.record(session, "customer.updated", actor=agent, target=str(customer.id))
    return _read(customer)
