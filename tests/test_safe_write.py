"""Writes that cannot lose data: each fault leaves the input (and an existing OUT) as it
was, no temporary file behind, and one line on stderr."""
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile

import pytest

from ompwise import cli
from ompwise.cli import main
from ompwise.safe_write import TEMP_PREFIX, Snapshot, WriteError, write_file

KERNEL = "void f{i}(int n, double *a) {{\n  for (int i = 0; i < n; i++)\n    a[i] = 2 * a[i];\n}}\n"
SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + "/src"
ROOT = os.geteuid() == 0


def kernels(n: int) -> str:
    return "".join(KERNEL.format(i=i) for i in range(n))


def run(argv, capsys):
    rc = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    return rc, out, err


def no_temp(*dirs) -> bool:
    return not [n for d in dirs for n in os.listdir(d) if n.startswith(TEMP_PREFIX)]


def make(tmp_path, name="k.c", text=None) -> str:
    p = tmp_path / name
    p.write_text(kernels(3) if text is None else text)
    return str(p)


def test_output_gets_the_modes_a_new_file_gets_and_in_place_keeps_them(tmp_path, capsys):
    f = make(tmp_path)
    out = str(tmp_path / "out.c")
    old = os.umask(0o027)
    try:
        assert run(["parallelize", f, "-o", out], capsys)[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o640 and "#pragma omp parallel for" in open(out).read()
    os.chmod(f, 0o4755)  # setuid: a rename would silently drop it
    assert run(["parallelize", f, "--in-place"], capsys)[0] == 0
    assert stat.S_IMODE(os.stat(f).st_mode) == 0o4755 and open(f).read() == open(out).read()
    assert no_temp(tmp_path)


@pytest.mark.skipif(not ROOT, reason="only root can give a file to another user")
def test_in_place_keeps_the_owner(tmp_path, capsys):
    f = make(tmp_path)
    os.chown(f, 65534, 65534)
    os.chmod(f, 0o6755)  # (chown clears setuid and setgid: they must be set after it)
    assert run(["parallelize", f, "--in-place"], capsys)[0] == 0
    st = os.stat(f)
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o6755)
    assert "#pragma omp" in open(f).read()


def test_an_edit_made_while_ompwise_runs_is_kept(tmp_path, capsys, monkeypatch):
    # The edit lands between the read and the write (what a 2,000-function file gives an
    # editor time for), through a seam rather than a sleep: the writer's own check is real.
    f = make(tmp_path, text=kernels(200))
    real = cli.insert_pragmas

    def edit_then_rewrite(source, loops):
        with open(f, "a") as fh:
            fh.write("// edit\n")
        return real(source, loops)

    monkeypatch.setattr(cli, "insert_pragmas", edit_then_rewrite)
    rc, _, err = run(["parallelize", f, "--in-place"], capsys)
    assert rc == 2 and err.strip() == f"{f}: error: changed while ompwise ran; nothing written"
    assert open(f).read() == kernels(200) + "// edit\n" and no_temp(tmp_path)
    out = tmp_path / "out.c"
    rc, _, err = run(["parallelize", f, "-o", str(out)], capsys)  # OUT made from a stale input: no
    assert rc == 2 and "changed while ompwise ran" in err and not out.exists() and no_temp(tmp_path)


def test_an_edit_that_keeps_size_and_mtime_is_seen(tmp_path):
    f = make(tmp_path)
    data = open(f, "rb").read()
    snap = Snapshot.of(f, data, os.stat(f))
    st = os.stat(f)
    with open(f, "r+b") as fh:  # same length, and the clock put back
        fh.write(b"int ")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(WriteError, match="changed while ompwise ran"):
        write_file(f, b"new\n", snap, in_place=True)
    assert open(f, "rb").read().startswith(b"int ") and no_temp(tmp_path)


def test_the_input_under_another_name_is_not_overwritten(tmp_path, capsys):
    f = make(tmp_path, "big.c")
    os.link(f, tmp_path / "bigh.c")
    before = open(f).read()
    rc, _, err = run(["parallelize", f, "-o", str(tmp_path / "bigh.c")], capsys)
    assert rc == 2 and "bigh.c: error: is the input" in err and "--in-place" in err
    assert open(f).read() == before and no_temp(tmp_path)
    # the same name is --in-place (with its checks: here the second link)
    rc, _, err = run(["parallelize", f, "-o", f], capsys)
    assert rc == 2 and "hard links" in err and open(f).read() == before


def test_a_hard_linked_input_is_not_split_silently(tmp_path, capsys):
    f = make(tmp_path)
    other = tmp_path / "other.c"
    os.link(f, other)
    before = open(f).read()
    rc, _, err = run(["parallelize", f, "--in-place"], capsys)
    assert rc == 2 and err.count("\n") == 1 and "2 hard links" in err and "--break-links" in err
    assert open(f).read() == before and os.stat(f).st_nlink == 2 and no_temp(tmp_path)
    assert run(["parallelize", f, "--in-place", "--break-links"], capsys)[0] == 0
    assert "#pragma omp" in open(f).read() and other.read_text() == before and os.stat(f).st_nlink == 1


@pytest.mark.parametrize("mode", [0o444, 0o000, 0o555])
def test_read_only_files_stay_as_they_are_even_for_root(tmp_path, capsys, mode):
    f = make(tmp_path)
    before = open(f).read()
    out = make(tmp_path, "out.c", "old output\n")
    os.chmod(f, mode)
    os.chmod(out, mode)
    try:
        if mode or ROOT:  # (a non-root user cannot read a 0000 input at all)
            rc, _, err = run(["parallelize", f, "--in-place"], capsys)
            assert rc == 2 and "error: cannot write: file is read-only; nothing written" in err
            rc, _, err = run(["parallelize", f, "-o", out], capsys)
            assert rc == 2 and err.strip() == f"{out}: error: cannot write: file is read-only; nothing written"
    finally:
        os.chmod(f, 0o644)
        os.chmod(out, 0o644)
    assert open(f).read() == before and open(out).read() == "old output\n" and no_temp(tmp_path)


NON_ROOT_SCRIPT = """
import importlib.util, os, sys
spec = importlib.util.spec_from_file_location("safe_write", sys.argv[1])
sw = sys.modules["safe_write"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sw)
for target in sys.argv[2:]:
    try:
        sw.write_file(target, b"replaced\\n")
        print("written", target)
    except sw.WriteError as e:
        print(e)
"""


@pytest.mark.skipif(not ROOT or not shutil.which("setpriv"), reason="needs root to become another user")
def test_read_only_files_stay_as_they_are_for_a_user(tmp_path):
    # The writer alone (standard library only), run as 'nobody' in a directory it may
    # write: the rename would succeed there, the mode bits of each file must stop it.
    d = tempfile.mkdtemp(prefix="ompwise-nobody-")
    try:
        os.chmod(d, 0o777)
        files = {"own-ro.c": (65534, 0o444), "others.c": (0, 0o644), "group.c": (0, 0o664), "own-rw.c": (65534, 0o644)}
        for name, (uid, mode) in files.items():
            p = os.path.join(d, name)
            with open(p, "w") as fh:
                fh.write("original\n")
            os.chown(p, uid, uid)
            os.chmod(p, mode)
        py = shutil.which("python3", path="/usr/bin:/bin") or "python3"
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", py, "-c", NON_ROOT_SCRIPT,
                            os.path.join(SRC, "ompwise", "safe_write.py"), *[os.path.join(d, n) for n in files]],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()
        assert [l.endswith("file is read-only; nothing written") for l in lines] == [True, True, True, False], lines
        for name in ("own-ro.c", "others.c", "group.c"):
            assert open(os.path.join(d, name)).read() == "original\n"
        assert open(os.path.join(d, "own-rw.c")).read() == "replaced\n" and no_temp(d)
    finally:
        shutil.rmtree(d)


BIG = "/* " + "x" * 78 + "\n" * 1 + ("   " + "y" * 77 + "\n") * 3000 + "*/\n" + kernels(2)  # about 240 KB


@pytest.fixture
def small_disk(tmp_path):
    if not ROOT:
        pytest.skip("mounting a tmpfs needs root")
    d = tmp_path / "disk"
    d.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(d)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield d
    finally:
        subprocess.run(["umount", str(d)], check=True)


def test_a_full_disk_leaves_the_output_as_it_was(tmp_path, small_disk, capsys):
    f = make(tmp_path, "big.c", BIG)
    out = small_disk / "out.c"
    out.write_text("the previous output\n")
    rc, _, err = run(["parallelize", f, "-o", str(out)], capsys)
    assert rc == 2 and err.strip() == f"{out}: error: cannot write: No space left on device; nothing written"
    assert out.read_text() == "the previous output\n" and no_temp(small_disk) and open(f).read() == BIG
    g = make(small_disk, "in.c", kernels(300))  # --in-place on a disk with room for the file, not two
    with open(small_disk / "filler", "wb") as fh:
        fh.write(b"\0" * (200 * 1024 - os.path.getsize(g) - 8192))
    before = open(g).read()
    rc, _, err = run(["parallelize", g, "--in-place"], capsys)
    assert rc == 2 and "No space left on device; nothing written" in err
    assert open(g).read() == before and no_temp(small_disk)


def _limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (100 * 1024, 100 * 1024))


def test_a_file_size_limit_leaves_the_output_as_it_was(tmp_path):
    # (ulimit -f: a real process, since the limit would hold for the tests' own files too)
    f = make(tmp_path, "big.c", BIG)
    out = tmp_path / "out.c"
    out.write_text("the previous output\n")
    r = subprocess.run([sys.executable, "-m", "ompwise", "parallelize", f, "-o", str(out)],
                       capture_output=True, text=True, preexec_fn=_limit_file_size, timeout=120)
    assert r.returncode == 2 and r.stderr.strip() == f"{out}: error: cannot write: File too large; nothing written"
    assert out.read_text() == "the previous output\n" and no_temp(tmp_path) and open(f).read() == BIG


SIGNAL_SCRIPT = """
import os, signal, sys
from ompwise.cli import main
real = os.fsync
def fsync_then_signal(fd):  # the first fsync is the temporary file's: the write is under way
    os.fsync = real
    os.kill(os.getpid(), getattr(signal, sys.argv[1]))
    real(fd)
os.fsync = fsync_then_signal
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("sig,code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_a_signal_during_the_write_leaves_the_target(tmp_path, sig, code):
    f = make(tmp_path)
    before = open(f).read()
    out = make(tmp_path, "out.c", "old output\n")
    for argv in (["--in-place"], ["-o", out]):
        r = subprocess.run([sys.executable, "-c", SIGNAL_SCRIPT, sig, "parallelize", f, *argv],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == code and "Traceback" not in r.stderr, r.stderr
        assert open(f).read() == before and open(out).read() == "old output\n" and no_temp(tmp_path)


def test_a_new_output_in_a_missing_directory_is_one_line(tmp_path, capsys):
    f = make(tmp_path)
    rc, _, err = run(["parallelize", f, "-o", str(tmp_path / "no" / "out.c")], capsys)
    assert rc == 2 and err.strip() == f"{tmp_path}/no/out.c: error: cannot write: No such file or directory; nothing written"


def test_output_to_a_device_is_written_through(tmp_path, capsys):
    f = make(tmp_path)
    assert run(["parallelize", f, "-o", os.devnull], capsys)[0] == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # (a rename would have replaced the device)


def test_an_output_named_as_a_directory_is_not_created_as_a_file(tmp_path, capsys):
    f = make(tmp_path)
    rc, _, err = run(["parallelize", f, "-o", str(tmp_path / "newdir") + "/"], capsys)
    assert rc == 2 and err.strip() == f"{tmp_path}/newdir/: error: cannot write: No such directory; nothing written"
    assert sorted(os.listdir(tmp_path)) == ["k.c"]
    (tmp_path / "outdir").mkdir()
    rc, _, err = run(["parallelize", f, "-o", str(tmp_path / "outdir") + "/"], capsys)
    assert rc == 2 and "Is a directory" in err and os.listdir(tmp_path / "outdir") == []


def test_an_empty_output_name_is_refused_not_taken_for_standard_output(tmp_path, capsys):
    f = make(tmp_path)
    with pytest.raises(SystemExit) as e:
        main(["parallelize", f, "-o", ""])
    out, err = capsys.readouterr()
    assert e.value.code == 2 and out == "" and err.rstrip().endswith("argument -o/--output: empty file name")


def test_symlink_chains_are_followed_and_stay_links(tmp_path, capsys):
    (tmp_path / "c1").mkdir()
    (tmp_path / "c2").mkdir()
    f = make(tmp_path / "c2", "real.c")
    os.symlink("../c2/real.c", tmp_path / "c1" / "l2.c")
    os.symlink("c1/l2.c", tmp_path / "l1.c")
    before = open(f).read()
    assert run(["parallelize", str(tmp_path / "l1.c"), "--in-place"], capsys)[0] == 0
    assert "#pragma omp parallel for" in open(f).read() and open(f).read() != before
    assert os.readlink(tmp_path / "l1.c") == "c1/l2.c" and os.readlink(tmp_path / "c1" / "l2.c") == "../c2/real.c"
    os.symlink("loop-b.c", tmp_path / "loop-a.c")
    os.symlink("loop-a.c", tmp_path / "loop-b.c")
    rc, _, err = run(["parallelize", f, "-o", str(tmp_path / "loop-a.c")], capsys)
    assert rc == 2 and "Too many levels of symbolic links; nothing written" in err and no_temp(tmp_path)


@pytest.mark.skipif(not ROOT, reason="needs root to plant a link as another user")
def test_a_link_another_user_planted_in_a_shared_directory_is_not_followed(tmp_path, capsys):
    # as fs.protected_symlinks does for open(); realpath() would follow it into our own file
    shared = tmp_path / "tmp"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    os.symlink(str(victim), shared / "out.c")
    os.lchown(shared / "out.c", 65534, 65534)
    f = make(tmp_path)
    rc, _, err = run(["parallelize", f, "-o", str(shared / "out.c")], capsys)
    assert rc == 2 and "is a symbolic link of another user (uid 65534) in a shared directory" in err
    assert victim.read_text() == "precious\n" and no_temp(shared, tmp_path)
    os.lchown(shared / "out.c", os.geteuid(), os.getegid())  # our own link there is followed
    assert run(["parallelize", f, "-o", str(shared / "out.c")], capsys)[0] == 0
    assert "#pragma omp" in victim.read_text() and os.path.islink(shared / "out.c")


def test_the_input_removed_or_renamed_over_while_ompwise_runs_is_not_written(tmp_path, capsys, monkeypatch):
    f = make(tmp_path)
    real = cli.analyze_source

    def swap(*a, **k):  # same size and mtime, another inode: as 'mv new k.c' by an editor
        r = real(*a, **k)
        st = os.stat(f)
        alt = tmp_path / "alt.c"
        alt.write_text(open(f).read().replace("2 * a[i]", "3 * a[i]"))
        os.utime(alt, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(alt, f)
        return r
    monkeypatch.setattr(cli, "analyze_source", swap)
    rc, _, err = run(["parallelize", f, "--in-place"], capsys)
    assert rc == 2 and "changed while ompwise ran; nothing written" in err
    assert "3 * a[i]" in open(f).read() and "pragma" not in open(f).read() and no_temp(tmp_path)

    monkeypatch.setattr(cli, "analyze_source", lambda *a, **k: (os.unlink(f), real(*a, **k))[1])
    rc, _, err = run(["parallelize", f, "-o", str(tmp_path / "out.c")], capsys)
    assert rc == 2 and not os.path.exists(f) and not os.path.exists(tmp_path / "out.c") and no_temp(tmp_path)


def test_very_long_names_and_newlines_in_names(tmp_path, capsys):
    for name in ("x" * 253 + ".c", "new\nline.c"):
        f = make(tmp_path, name)
        assert run(["parallelize", f, "--in-place"], capsys)[0] == 0 and "#pragma omp" in open(f).read()
    f = make(tmp_path)
    rc, _, err = run(["parallelize", f, "-o", str(tmp_path / ("y" * 254 + ".c"))], capsys)
    assert rc == 2 and "File name too long; nothing written" in err and no_temp(tmp_path)


def test_the_temporary_file_of_a_killed_writer_goes_with_the_next_write_there(tmp_path, capsys):
    from ompwise.safe_write import _owner
    p = subprocess.Popen(["sleep", "60"])
    dead = _owner(p.pid)
    p.kill()
    p.wait()
    assert dead and _owner(p.pid) is None
    stale = tmp_path / f"{TEMP_PREFIX}{dead}-abc.tmp"
    live = tmp_path / f"{TEMP_PREFIX}{_owner(os.getpid())}-def.tmp"  # a write in progress
    ownerless = tmp_path / f"{TEMP_PREFIX}ghi.tmp"  # not ours to judge
    for x in (stale, live, ownerless):
        x.write_text("partial")
    f = make(tmp_path)
    assert run(["parallelize", f, "--in-place"], capsys)[0] == 0
    assert sorted(n for n in os.listdir(tmp_path) if n.startswith(TEMP_PREFIX)) == sorted([live.name, ownerless.name])
