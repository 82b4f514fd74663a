"""The command's entry point: a signal before ``main()`` takes over ends the process quietly.

Importing the analysis takes a few hundred milliseconds. A Ctrl-C in that time used
to print Python's KeyboardInterrupt traceback, and a SIGINT that an import swallows
(a library's bare ``except:``) could even let the command go on. Nothing has started
yet at that point, so there is nothing to clean up: the handlers installed here end
the process at once with the shell's code for the signal (130, 143). ``main()``
replaces them by ``interrupts.raised()`` for the time the work runs, and restores
them for the last steps (exit, flushing the output), which are not to be cut by a
traceback either.

This module runs before anything else of ompwise and imports only what Python has
loaded at start-up: ``_signal``, not ``signal``, whose import of ``enum`` alone takes
longer than the rest of this module.
"""
import _signal
import os
import sys

SIGNALS = (_signal.SIGINT, _signal.SIGTERM)


def _quit(signum, frame):
    for f in (sys.stdout, sys.stderr):  # what was printed before the signal is kept
        try:
            f.flush()
        except BaseException:  # e.g. the signal came in the middle of a write to this stream
            pass
    os._exit(128 + signum)


def install() -> None:
    for s in SIGNALS:
        if _signal.getsignal(s) is not _signal.SIG_IGN:  # nohup, '&' in a script: the caller's choice stands
            _signal.signal(s, _quit)


def run() -> None:
    install()
    from .cli import main
    sys.exit(main())
