"""Logging filters named by the settings' LOGGING."""

import logging

LONGEST_MESSAGE = 300


class BriefRefusedRequest(logging.Filter):
    """A request Django refuses for what the client sent (a Host not in ALLOWED_HOSTS, more fields or files than
    DATA_UPLOAD_MAX_NUMBER_FIELDS, a body over DATA_UPLOAD_MAX_MEMORY_SIZE): one line at WARNING, without the
    traceback Django logs it with at ERROR. Scanners send thousands; they say nothing about our code, and their
    tracebacks buried the real errors. The answer is still Django's 400."""

    def filter(self, record: logging.LogRecord) -> bool:
        lines = record.getMessage().splitlines()
        record.msg = (lines[0] if lines else record.name).encode("unicode_escape").decode("ascii")
        record.msg = record.msg[:LONGEST_MESSAGE]
        record.args = ()
        record.exc_info = record.exc_text = record.stack_info = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        # Downgraded, the record must still be wanted at WARNING (LOG_LEVEL=ERROR keeps it out).
        return logging.getLogger(record.name).isEnabledFor(logging.WARNING)
