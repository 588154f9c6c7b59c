"""Optional language models that phrase answers from retrieved passages, and the checks on them."""
