"""Notifications: the outbox every e-mail goes through, its SMTP delivery, and the e-mails themselves."""
