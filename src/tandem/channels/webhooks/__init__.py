"""Outgoing webhooks: signed, retried, replayable deliveries of what happened in Tandem."""
