"""A small progress bar on stderr, shown only when stderr is a terminal or when forced."""

import os
import sys
import time


class Progress:
    """``with Progress(total, "predict") as bar: bar.update(n)``; draws at most 10 times a second."""

    def __init__(self, total=None, desc="", unit="it", stream=None, enabled=None):
        self.total = total
        self.desc = desc
        self.unit = unit
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = os.environ.get("CLASSIFY_PROGRESS", "") == "1" or getattr(self.stream, "isatty", lambda: False)()
        self.enabled = enabled
        self.count = 0
        self.start = time.perf_counter()
        self._last = 0.0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def update(self, n=1, extra=""):
        self.count += n
        now = time.perf_counter()
        if self.enabled and (now - self._last > 0.1 or (self.total and self.count >= self.total)):
            self._last = now
            self._draw(now, extra)

    def _draw(self, now, extra=""):
        elapsed = max(now - self.start, 1e-9)
        rate = self.count / elapsed
        if self.total:
            frac = min(self.count / self.total, 1.0)
            bar = "#" * int(frac * 24)
            text = f"{self.desc} [{bar:<24}] {frac:6.1%} {rate:,.0f} {self.unit}/s"
        else:
            text = f"{self.desc} {self.count:,} {self.unit} {rate:,.0f} {self.unit}/s"
        if extra:
            text += f" {extra}"
        self.stream.write("\r" + text + " " * 4)
        self.stream.flush()

    def close(self):
        if self.enabled:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()
