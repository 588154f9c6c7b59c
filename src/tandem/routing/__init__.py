"""Queues of handed-off conversations, claiming, and wait estimates."""
