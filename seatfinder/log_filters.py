"""Logging filters named by the settings' LOGGING."""

import logging

LONGEST_MESSAGE = 300


class BriefDisallowedHost(logging.Filter):
    """A request for a host not in ALLOWED_HOSTS (a scanner, or a proxy passing on any Host): one line at
    WARNING, without the traceback Django logs it with at ERROR. It says nothing about our code, and with a
    traceback each one buried the real errors. The answer is still Django's 400."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage().splitlines()[0] if record.getMessage() else "Disallowed host"
        record.msg = message.encode("unicode_escape").decode("ascii")[:LONGEST_MESSAGE]
        record.args = ()
        record.exc_info = record.exc_text = record.stack_info = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        # Downgraded, the record must still be wanted at WARNING (LOG_LEVEL=ERROR keeps it out).
        return logging.getLogger(record.name).isEnabledFor(logging.WARNING)
