"""Configuration errors are errors: an unreadable pyproject.toml and an unknown code in a
'// ompwise: ignore[...]' comment each get one line naming the file (and line)."""
import os

from ompwise.cli import main
from ompwise.config import suppression_errors

CARRIED = "double a[100];\nvoid f(int n) {\n  for (int i = 1; i < n; i++)\n    a[i] = a[i - 1] + 1;\n}\n"


def run(argv, capsys):
    rc = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return rc, out, err


def test_an_unreadable_pyproject_is_an_error(tmp_path, capsys):
    f = tmp_path / "k.c"
    f.write_text(CARRIED)
    cfg = tmp_path / "pyproject.toml"
    if os.geteuid() == 0:  # (root reads any mode: this one fails on read(), EIO)
        cfg.symlink_to("/proc/self/mem")
    else:
        cfg.write_text('[tool.ompwise]\nignore = ["DEP-CARRIED"]\n')
        cfg.chmod(0)
    rc, out, err = run(["check", str(f)], capsys)
    assert rc == 2 and err.strip().startswith(f"{cfg}: error: cannot read: ") and err.count("\n") == 1


def test_unknown_codes_in_ignore_comments_are_named_with_their_line():
    src = b"int x;\r// ompwise: ignore[BOGUS, DEP-CARRIED, DEP-*]\r/* ompwise: ignore[ALSO-BAD] */\n"
    assert suppression_errors("f.c", src) == [
        "f.c:2: error: 'BOGUS' in 'ompwise: ignore[...]' matches no reason code (see 'ompwise reasons')",
        "f.c:3: error: 'ALSO-BAD' in 'ompwise: ignore[...]' matches no reason code (see 'ompwise reasons')"]
    assert suppression_errors("f.c", b"// ompwise: ignore[DEP-CARRIED]\n") == []


def test_an_unknown_ignore_code_exits_2_and_other_files_are_still_checked(tmp_path, capsys):
    bad = tmp_path / "bad.c"
    bad.write_text(CARRIED.replace("  for", "  // ompwise: ignore[BOGUS, DEP-CARRIED]\n  for"))
    good = tmp_path / "good.c"
    good.write_text(CARRIED.replace("f(", "g("))
    rc, out, err = run(["check", str(bad), str(good)], capsys)
    assert rc == 2 and err.strip() == (f"{bad}:3: error: 'BOGUS' in 'ompwise: ignore[...]' matches no reason code "
                                       "(see 'ompwise reasons')")
    assert f"{good}:3:3:" in out and f"{bad}:" not in out  # (the known code still silences)
    for argv in (["parallelize", str(bad), "-o", str(tmp_path / "o.c")], ["explain", f"{bad}:4"],
                 ["races", "--static-only", str(bad)]):
        rc, _, err = run(argv, capsys)
        assert rc == 2 and "'BOGUS' in 'ompwise: ignore[...]'" in err, (argv, err)
