"""Knowledge articles, their import, and the retrieval index the bot answers from."""
