"""Customers, conversations, messages and the durable per-conversation event log."""
