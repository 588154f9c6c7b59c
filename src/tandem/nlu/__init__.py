"""Offline text signals for the escalation policy: human requests, emotion, sensitive topics."""
