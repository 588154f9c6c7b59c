"""Standard Webhooks signatures, checked against the specification's own example."""

from __future__ import annotations

from tandem.channels.webhooks import signing

# From the Standard Webhooks specification and its reference libraries.
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signs_as_the_specification_does() -> None:
    signature = signing.sign(
        SPEC_SECRET, message_id=SPEC_ID, timestamp=SPEC_TIMESTAMP, body=SPEC_BODY
    )
    assert signature == SPEC_SIGNATURE


def test_a_receiver_accepts_ours_and_refuses_a_changed_body() -> None:
    secret = signing.new_secret()
    headers = signing.headers(secret, message_id="evt_1", timestamp=1700000000, body=b"{}")
    assert signing.verify(
        secret, message_id="evt_1", timestamp=1700000000, body=b"{}",
        signature_header=headers["webhook-signature"],
    )  # fmt: skip
    assert not signing.verify(
        secret, message_id="evt_1", timestamp=1700000000, body=b'{"x":1}',
        signature_header=headers["webhook-signature"],
    )  # fmt: skip
    assert not signing.verify(
        signing.new_secret(), message_id="evt_1", timestamp=1700000000, body=b"{}",
        signature_header=headers["webhook-signature"],
    )  # fmt: skip


def test_secrets_are_random_and_in_the_standard_format() -> None:
    first, second = signing.new_secret(), signing.new_secret()
    assert first != second
    assert first.startswith("whsec_")
    assert len(signing._key(first)) == 24
