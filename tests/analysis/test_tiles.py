"""A position inside one tile (analysis/tiles.py): 'i % T' over [s*T, min((s+1)*T, n)) is
i - s*T, as in splatt's mttkrp.c:1582; loops whose bounds do not keep i in one tile stay
blocked."""
from tests.conftest import loops_of

TILE = """
#define SS_MIN(x,y) ((x) < (y) ? (x) : (y))
static int const TILE_SIZES[] = { 32, 1024, 1024 };
void f(double *mvals, double *threadm, int nslabs, int n, int rank) {
  for (int s = 0; s < nslabs; ++s) {
    int const start = s * TILE_SIZES[0];
    int const stop  = SS_MIN((s+1) * TILE_SIZES[0], n);
    for (int i = start; i < stop; ++i) {
      int const localrow = i % TILE_SIZES[0];
      for (int r = 0; r < rank; ++r) {
        mvals[r + (i*rank)] += threadm[r + (localrow*rank)];
        threadm[r + (localrow*rank)] = 0.;
      }
    }
  }
}
"""


def _inner(code):
    return loops_of(code)[1]


def _assumed(loop):
    return " ".join(r.message for r in loop.reasons if r.code == "BOUNDS-ASSUMED")


def test_offset_in_the_tile():
    a = _inner(TILE)
    assert a.parallelizable, a.reasons
    assert "start >= 0" in _assumed(a)  # (a signed variable: the remainder of a negative i is not its offset)


def test_unsigned_variable_states_that_the_start_must_not_wrap():
    # (an unsigned s*T is never negative but may wrap: the adversarial review's break)
    code = TILE.replace("int const start", "size_t const start").replace("int const stop", "size_t const stop") \
        .replace("for (int i", "for (size_t i").replace("int s = 0", "size_t s = 0")
    a = _inner("#include <stddef.h>\n" + code)
    assert a.parallelizable and "overflow" in _assumed(a)


def test_bounds_in_the_header():
    code = TILE.replace("for (int i = start; i < stop; ++i)",
                        "for (int i = s * TILE_SIZES[0]; i < (s+1) * TILE_SIZES[0]; ++i)")
    assert _inner(code).parallelizable


def test_two_tiles():
    # up to (s+2)*T: i and i + T share their offset
    code = TILE.replace("(s+1) * TILE_SIZES[0]", "(s+2) * TILE_SIZES[0]")
    assert not _inner(code).parallelizable


def test_remainder_by_another_size():
    code = TILE.replace("i % TILE_SIZES[0]", "i % TILE_SIZES[1]")
    assert not _inner(code).parallelizable


def test_tile_start_changed_before_the_loop():
    code = TILE.replace("    for (int i = start;", "    n += 1;\n    for (int i = start;")
    assert not _inner(code).parallelizable


def test_bounds_not_const():
    code = TILE.replace("int const start", "int start")
    assert not _inner(code).parallelizable


def test_macro_that_is_no_min():
    code = TILE.replace("((x) < (y) ? (x) : (y))", "((x) > (y) ? (x) : (y))")
    assert not _inner(code).parallelizable


def test_declaration_between_that_changes_the_tile():
    # stop computed for the next tile: [s*T, min((s+2)*T, n)) holds two tiles
    code = TILE.replace("    int const stop", "    int const q = s++;\n    int const stop")
    assert not _inner(code).parallelizable
