"""Reading user files: the messages of the size limit and of invalid UTF-8."""
import pytest

from ompwise.frontend.source import InputError, human_size, read_source


def test_sizes_read_as_the_limit_is_written():
    assert [human_size(n) for n in (1, 12, 1024, 1536, 1 << 20, int(1.25 * (1 << 20)), 8 << 20)] == \
        ["1 byte", "12 bytes", "1k", "1.5k", "1M", "1.2M", "8M"]


@pytest.mark.parametrize("size,limit,message", [
    (12, 10, "(12 bytes > 10 bytes limit;"),
    (int(1.2 * (1 << 20)), 1 << 20, "(1.2M > 1M limit;"),
    ((1 << 20) + 1, 1 << 20, "(1048577 bytes > 1048576 bytes limit;"),  # not '1M > 1M'
])
def test_a_file_over_the_limit_says_by_how_much(tmp_path, size, limit, message):
    p = tmp_path / "big.c"
    p.write_bytes(b"int x;\n" + b" " * (size - 7))
    with pytest.raises(InputError) as e:
        read_source(str(p), limit)
    assert message in str(e.value) and str(e.value).startswith(f"{p}: error: file too large")


def test_invalid_utf8_is_placed_on_its_line_whatever_the_line_ending(tmp_path):
    p = tmp_path / "latin.c"
    p.write_bytes(b"int a;\rint b;\r/* caf\xe9 */\r")
    with pytest.raises(InputError, match=r"latin.c:3: error: not valid UTF-8"):
        read_source(str(p))
