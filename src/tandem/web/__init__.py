"""Server-rendered pages: the customer chat, the help centre and the agent console."""
