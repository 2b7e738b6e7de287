"""A counting SMTP server for the delivery benchmarks, in its own process (so that it does
not share the deliverer's CPU time slice):

    python bench/smtp_sink.py PORT REPORT_FILE

Accepts everything; on SIGTERM writes "<messages> <distinct Message-IDs> <CPU seconds>" to
REPORT_FILE.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

_MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class Counter:
    def __init__(self) -> None:
        self.messages = 0
        self.ids: set[bytes] = set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages += 1
        match = _MESSAGE_ID.search(envelope.original_content.split(b"\r\n\r\n", 1)[0])
        if match:
            self.ids.add(match.group(1))
        return "250 OK"


def main() -> None:
    port, report = int(sys.argv[1]), Path(sys.argv[2])
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    print("ready", flush=True)
    stopped.wait()
    controller.stop()
    report.write_text(f"{counter.messages} {len(counter.ids)} {time.process_time():.1f}\n")


if __name__ == "__main__":
    main()
