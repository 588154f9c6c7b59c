"""Users (agents, supervisors, admins), roles and sessions."""
