"""SIGINT/SIGTERM as an exception: raised once, held back inside deferred(), handlers restored."""
import os
import signal

import pytest

from ompwise.verify import interrupts


def test_a_signal_raises_with_the_shell_exit_code_and_the_handlers_come_back():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(interrupts.Interrupted) as e:
        with interrupts.raised():
            os.kill(os.getpid(), signal.SIGTERM)  # (the handler runs as kill returns)
            pytest.fail("not raised")
    assert e.value.exit_code == 143 and isinstance(e.value, KeyboardInterrupt)
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_signal_inside_deferred_is_raised_at_its_end_and_a_second_one_is_ignored():
    done = []
    with pytest.raises(interrupts.Interrupted) as e:
        with interrupts.raised():
            with interrupts.deferred():
                os.kill(os.getpid(), signal.SIGINT)
                os.kill(os.getpid(), signal.SIGTERM)
                done.append("cleanup finished")
    assert done == ["cleanup finished"] and e.value.exit_code == 130
