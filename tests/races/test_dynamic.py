"""The Archer run and the reports it keeps."""
import pytest

from ompwise.races import check_races
from ompwise.races.dynamic import task_data_artifact
from ompwise.verify.archer import parse_reports
from ompwise.verify.program import archer_available


@pytest.mark.skipif(not archer_available(), reason="clang-14 with libarcher not installed")
def test_archer_finds_race_in_parallel_region(tmp_path):
    p = tmp_path / "r.c"
    p.write_text("#include <stdio.h>\n#include <omp.h>\nint main(void) {\n  int x = 0;\n"
                 "#pragma omp parallel num_threads(2)\n  {\n    x = omp_get_thread_num();\n  }\n"
                 "  printf(\"%d\\n\", x);\n  return 0;\n}\n")
    rep = check_races(str(p))
    assert rep.race and rep.dynamic == "race"
    f = [x for x in rep.findings if x.check == "archer"][0]
    assert f.line == 7 and f.variable == "x"


def test_archer_reports_on_runtime_task_storage_are_dropped(tmp_path):
    src = tmp_path / "spawn.cpp"
    src.write_text("int out[8];\nvoid spawn(int k) {\n#pragma omp task\n  out[k] = k;\n}\n")
    report = ("WARNING: ThreadSanitizer: data race (pid=1)\n  Write of size 4 at 0x7b0 by main thread:\n"
              f"    #0 spawn(int) {src}:3:1 (a.out+0x1)\n\n  Previous read of size 4 at 0x7b0 by thread T2:\n"
              f"    #0 .omp_outlined. {src}:4:12 (a.out+0x2)\n\n"
              "  Location is heap block of size 4096 at 0x7b0 allocated by main thread:\n"
              "    #0 malloc <null> (a.out+0x3)\n    #1 <null> <null> (libomp.so.5+0x20919)\n"
              "    #2 main <null> (a.out+0x4)\n\nSUMMARY: ThreadSanitizer: data race\n")
    races = parse_reports(report)
    assert len(races) == 1 and races[0].runtime_block and task_data_artifact(races[0])
    user = report.replace("    #1 <null> <null> (libomp.so.5+0x20919)\n", "    #1 make_buffer ./b.c:3 (a.out+0x5)\n")
    assert not task_data_artifact(parse_reports(user)[0])
    body = report.replace(f"{src}:3:1", f"{src}:4:3")
    assert not task_data_artifact(parse_reports(body)[0])


def test_archer_report_whose_top_frame_has_no_line_is_kept():
    # at -O1 and above TSan often prints the outlined region's frame without a line
    report = ("WARNING: ThreadSanitizer: data race (pid=7)\n  Read of size 4 at 0x55 by thread T1:\n"
              "    #0 .omp_outlined._debug__ /w/p.c (t+0xd0241) (BuildId: 3707)\n"
              "    #1 .omp_outlined. /w/p.c:7:3 (t+0xd0241)\n"
              "    #2 __kmp_invoke_microtask <null> (libomp.so.5+0xd55a2) (BuildId: e9e0)\n\n"
              "  Previous write of size 4 at 0x55 by main thread:\n"
              "    #0 .omp_outlined._debug__ /w/p.c:8:43 (t+0xd0292) (BuildId: 3707)\n\n"
              "  Location is global 'cnt' of size 4 at 0x55 (t+0x1)\n\nSUMMARY: ThreadSanitizer: data race\n")
    races = parse_reports(report)
    assert [(r.file, r.line, r.variable, r.other_line) for r in races] == [("/w/p.c", 7, "cnt", 8)]


@pytest.mark.skipif(not archer_available(), reason="clang-14 with libarcher not installed")
def test_the_directory_of_a_killed_race_check_is_removed_by_the_next_one(tmp_path):
    import glob
    import os
    import signal
    import subprocess
    import sys
    import time
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    prog = tmp_path / "slow.c"
    prog.write_text("#include <stdio.h>\nint main(void) {\n  double s = 0;\n"
                    "#pragma omp parallel for reduction(+:s)\n  for (long i = 0; i < 400000000L; i++) s += i % 3;\n"
                    "  printf(\"%f\\n\", s);\n  return 0;\n}\n")
    env = dict(os.environ, TMPDIR=str(tmp))
    cmd = [sys.executable, "-m", "ompwise", "races", "--threads", "2", "--timeout", "30", str(prog)]
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not glob.glob(str(tmp / "ompwise-races-*")) and p.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    p.send_signal(signal.SIGKILL)
    p.wait()
    left = glob.glob(str(tmp / "ompwise-races-*"))
    assert left and os.path.basename(left[0]).startswith(f"ompwise-races-{p.pid}.")  # named after its owner
    prog.write_text("int main(void) { return 0; }\n")
    subprocess.run(cmd, env=env, capture_output=True, timeout=120)
    assert glob.glob(str(tmp / "ompwise-races-*")) == []
