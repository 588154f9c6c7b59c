"""Inbound mail posted by a mail provider (the alternative to reading a mailbox over IMAP).

Providers post the raw message: as the body (``Content-Type: message/rfc822``), or as a form
field (``body-mime`` as Mailgun does, ``email`` as SendGrid's raw mode does). They prove who
they are with ``TANDEM_EMAIL_INBOUND_SECRET``, as a bearer token or as a basic-auth password.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Annotated

from fastapi import APIRouter, Header, status
from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.requests import Request

from tandem.bot.service import config_from
from tandem.channels.email import service as email_service
from tandem.channels.email.tasks import mail_config
from tandem.config import Settings
from tandem.core.deps import SessionDep, SettingsDep
from tandem.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError

router = APIRouter(prefix="/api/v1/email", tags=["email"])
INBOUND_PATH = "/api/v1/email/inbound"
_FORM_FIELDS = ("body-mime", "email", "message")


class InboundRead(BaseModel):
    conversation_id: str | None
    duplicate: bool
    ignored: bool


def _presented_secret(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2]
    return None


def _check_secret(settings: Settings, authorization: str | None) -> None:
    if settings.email_inbound_secret is None or settings.email_address is None:
        raise NotFoundError(
            "The inbound mail webhook is off; set TANDEM_EMAIL_ADDRESS and "
            "TANDEM_EMAIL_INBOUND_SECRET to turn it on."
        )
    presented = _presented_secret(authorization)
    if presented is None or not hmac.compare_digest(
        presented.encode(), settings.email_inbound_secret.encode()
    ):
        raise PermissionDeniedError(
            "Post inbound mail with TANDEM_EMAIL_INBOUND_SECRET as a bearer token or as the "
            "basic-auth password."
        )


async def _raw_mail(request: Request, settings: Settings) -> bytes:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        async with request.form(max_part_size=settings.email_max_bytes) as form:
            for field in _FORM_FIELDS:
                value = form.get(field)
                if isinstance(value, UploadFile):
                    return await value.read()
                if isinstance(value, str) and value:
                    return value.encode("utf-8", "surrogateescape")
        raise InvalidInputError(
            "The form has no raw message; send it in a field named body-mime, email or message."
        )
    raw = await request.body()
    if not raw.strip():
        raise InvalidInputError("The body is empty; post the raw message (message/rfc822).")
    return raw


@router.post("/inbound", status_code=status.HTTP_202_ACCEPTED)
async def inbound(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    authorization: Annotated[str | None, Header()] = None,
) -> InboundRead:
    """Take one inbound mail; posting the same mail again (same Message-ID) changes nothing.

    202 once the mail and the bot's reply are stored (the reply is sent by the mail worker);
    422 for bytes that are not a mail with a sender.
    """
    _check_secret(settings, authorization)
    raw = await _raw_mail(request, settings)
    received = await email_service.receive_mail(
        session, raw, mail=mail_config(settings), bot=config_from(settings)
    )
    return InboundRead(
        conversation_id=received.conversation_id,
        duplicate=received.duplicate,
        ignored=received.ignored,
    )
