"""Help for human agents: the handoff brief."""
