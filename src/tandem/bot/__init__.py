"""The AI agent: grounded answers from the knowledge base, and knowing when to hand off."""
