"""Declarative actions: files, slots, the turn plan and backend calls."""
