"""Line endings: lone CRs are lines for the analyses, at unchanged offsets."""
from ompwise.frontend.newlines import as_lf, eol_of


def test_as_lf_keeps_offsets_and_crlf():
    data = b"a\rb\r\nc\n\rd\r"
    assert as_lf(data) == b"a\nb\r\nc\n\nd\n" and len(as_lf(data)) == len(data)
    assert as_lf(b"plain\n") == b"plain\n"


def test_eol_of_takes_the_most_common_ending():
    assert eol_of(b"a\rb\rc\n") == b"\r"
    assert eol_of(b"a\r\nb\r\nc\n") == b"\r\n"
    assert eol_of(b"a\nb\r\n") == b"\n" and eol_of(b"no ending") == b"\n"
