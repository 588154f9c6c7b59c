"""How customers and integrations reach Tandem: the web chat and the REST API."""
