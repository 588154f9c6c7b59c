"""How customers and integrations reach Tandem: the web chat, e-mail and the REST API."""
