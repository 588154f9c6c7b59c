"""Optional language models that word answers and handoff summaries, and the checks on them."""
