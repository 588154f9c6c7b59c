"""Customers for integrations: the company's systems create and update them (tier, attributes).

Admins also answer a customer's data-subject requests here: export everything stored about
them, or erase it (the same service functions as ``tandem customer export|erase``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, EmailStr, Field

from tandem.auth import audit
from tandem.auth.access import SUPERVISORS, require_role
from tandem.auth.deps import CurrentAdmin, CurrentAgent
from tandem.conversations import customers as customer_service
from tandem.conversations import service as conversation_service
from tandem.conversations.customers import CustomerChanges
from tandem.conversations.models import Customer
from tandem.conversations.schemas import CustomerRead, CustomerUpdate, CustomerUpsert
from tandem.core.deps import MAX_ROW_ID, SessionDep
from tandem.core.errors import InvalidInputError
from tandem.privacy import service as privacy_service

router = APIRouter(prefix="/api/v1/customers", tags=["integrations"])
CustomerId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
Timestamp = Annotated[str | None, Field(description="ISO 8601, UTC.")]
NO_SUCH_CUSTOMER: dict[int | str, dict[str, Any]] = {
    404: {"description": "No customer has this e-mail address (or they were erased already)."}
}


class CustomerPage(BaseModel):
    items: list[CustomerRead]
    next: str | None = Field(description="Pass as ?cursor= for the next page; null on the last.")


class ExportedCustomer(BaseModel):
    email: str | None
    name: str | None
    external_id: str | None
    tier: str
    attributes: dict[str, Any]  # Any: the company's own attribute values
    created_at: Timestamp


class ExportedMessage(BaseModel):
    seq: int
    author: str
    text: str
    at: Timestamp
    data: dict[str, Any]  # Any: what the message carried besides its text (buttons, cards)


class ExportedEvent(BaseModel):
    seq: int
    kind: str
    data: dict[str, Any]  # Any: each kind of event has its own facts


class ExportedHandoff(BaseModel):
    reason: str
    reasons: list[Any]  # Any: [{"code", "evidence"}, ...]
    queue: str
    created_at: Timestamp
    resolved_at: Timestamp


class ExportedNote(BaseModel):
    by: str
    text: str
    created_at: Timestamp


class ExportedAnswerFlag(BaseModel):
    seq: int | None
    by: str
    question: str
    answered_article: str | None
    right_article: str | None
    right_answer: str | None
    note: str | None
    created_at: Timestamp
    updated_at: Timestamp


class ExportedConversation(BaseModel):
    id: str
    channel: str
    status: str
    created_at: Timestamp
    resolved_at: Timestamp
    contact_name: str | None
    contact_email: str | None
    follow_up: dict[str, Any]  # Any: an e-mail or a callback, as the customer asked
    rating: int | None
    rating_comment: str | None
    messages: list[ExportedMessage]
    events: list[ExportedEvent]
    handoffs: list[ExportedHandoff]
    notes: list[ExportedNote]
    labels: list[str]
    answer_flags: list[ExportedAnswerFlag]


class CustomerExport(BaseModel):
    """Everything Tandem stores about one customer: the file `tandem customer export` writes."""

    customer: ExportedCustomer
    conversations: list[ExportedConversation]


class CustomerErase(BaseModel):
    email: EmailStr
    confirm: bool = Field(default=False, description="Must be true: erasure cannot be undone.")


class CustomerErased(BaseModel):
    email: str
    conversations_anonymised: int


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


# Before "/{customer_id}", which would otherwise take "export" for an id.
@router.get("/export", responses=NO_SUCH_CUSTOMER)
async def export_customer(
    email: Annotated[EmailStr, Query()], admin: CurrentAdmin, session: SessionDep
) -> CustomerExport:
    """Everything stored about the customer with ``email`` (a data-subject access request)."""
    data = await privacy_service.export_customer(session, str(email), actor=admin)
    return CustomerExport.model_validate(data)


@router.post("/erase", responses=NO_SUCH_CUSTOMER)
async def erase_customer(
    body: CustomerErase, admin: CurrentAdmin, session: SessionDep
) -> CustomerErased:
    """Anonymise the customer and their conversations for good; the counts reports use stay."""
    if not body.confirm:
        raise InvalidInputError(
            'Erasure cannot be undone: send {"email": "...", "confirm": true} to erase '
            f"{body.email} and all their conversations."
        )
    count = await privacy_service.erase_customer(session, str(body.email), actor=admin)
    return CustomerErased(email=str(body.email), conversations_anonymised=count)


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
