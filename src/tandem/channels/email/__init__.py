"""The e-mail channel: a support mailbox read over IMAP or posted by a provider, replies by SMTP."""
