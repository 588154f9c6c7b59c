"""The policy that decides AI or human, with reasons. Pure: no I/O, no clock."""
