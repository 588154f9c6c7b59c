"""The chat widget: one script tag puts the chat on a company's own site, in an isolated frame."""
