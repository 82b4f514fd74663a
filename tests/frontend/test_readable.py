"""What tree-sitter cannot read, made readable at the same length (frontend/readable.py)."""
from ompwise.frontend.readable import readable
from tests.conftest import loops_of


def test_a_macro_defined_to_nothing_is_removed_as_the_preprocessor_does():
    src = """
#ifdef CUDA
#define HD __host__ __device__
#else
#define HD
#endif
#define KERNEL_PREFIX
template<typename T>
KERNEL_PREFIX void copy(const T* x, T* v, int n)
{
  for (int i = 0; i < n; i++) v[i] = x[i];
}
struct S { HD inline double& operator()(int i) { return d[i]; } double *d; };
"""
    (a,) = loops_of(src, "cpp")
    assert a.loop.function == "copy" and a.reasons[0].code == "OMP-PARALLEL"


def test_directives_keep_their_names_and_lengths_are_kept():
    text = b"#ifndef GUARD\n#define GUARD\n#define E\nE int f(void);\n#endif\n"
    out = readable(text, "c")
    assert len(out) == len(text) and out.split(b"\n")[:3] == text.split(b"\n")[:3]
    assert out.split(b"\n")[3] == b"  int f(void);"
    # a name also defined to something is not blanked
    assert readable(b"#define E\n#define E 1\nint x = E;\n", "c").endswith(b"int x = E;\n")


def test_new_of_an_array_of_pointers_is_read():
    (a,) = loops_of("void g(int n, int m) {\n  int **p = new int*[n];\n"
                    "  for (int i = 0; i < n; i++) p[i] = new int[m];\n}\n", "cpp")
    assert a.reasons[0].code == "OMP-PARALLEL"
    assert readable(b"T **p = new T *[n];", "cpp") == b"T **p = new T  [n];"
    assert readable(b"T **p = new T *[n];", "c") == b"T **p = new T *[n];"


def test_a_macro_of_specifiers_only_is_removed_too():
    got = loops_of("""
#define INLINE inline
#define FORCE_INLINE __attribute__((always_inline)) inline
#define HOSTDEV __host__ __device__
#define LOCAL static
INLINE void f(int n, double *restrict a) { for (int i = 0; i < n; i++) a[i] = 0; }
FORCE_INLINE void g(int n, double *restrict a) { for (int i = 0; i < n; i++) a[i] = 1; }
HOSTDEV void h(int n, double *restrict a) { for (int i = 0; i < n; i++) a[i] = 2; }
""")
    assert [a.loop.function for a in got] == ["f", "g", "h"]
    text = b"#define LOCAL static\nLOCAL int x;\n"
    assert readable(text, "c") == text  # ('static' is read: a function's linkage)


def test_an_unknown_macro_where_only_specifiers_can_stand_is_blanked():
    text = (b"OPAL_DECLSPEC int f(int n);\nint HID_API_EXPORT g(int n) { return n; }\n"
            b"template <typename T> GLM_FUNC_QUALIFIER tvec4<T, P> h(T x);\nMYTYPE const x = 3;\n"
            b"#define LOCAL static\nLOCAL int k(void);\n")
    out = readable(text, "cpp").split(b"\n")
    assert out[0] == b"              int f(int n);" and out[1] == b"int                g(int n) { return n; }"
    assert b"GLM_FUNC_QUALIFIER" not in out[2]
    assert out[3] == b"MYTYPE const x = 3;" and out[5] == b"LOCAL int k(void);"  # (a type; 'static')


def test_a_macro_that_may_say_static_in_a_body_is_kept():
    # (review) 'PERSIST int calls = 0;' may be a static local (one variable for every call), through
    # another macro or a header not found: only a function's declaration loses such a macro
    text = (b"#define PERSIST INTERNAL\n#define INTERNAL static\nPERSIST int helper(int x);\n"
            b"void k(void) {\n  LOCAL_STATIC int calls = 0;\n  KEEP int c2(0);\n}\nAPI_CALL int run(int n);\n")
    out = readable(text, "cpp").split(b"\n")
    assert out[2] == b"PERSIST int helper(int x);" and out[4] == b"  LOCAL_STATIC int calls = 0;"
    assert out[5] == b"  KEEP int c2(0);" and out[7] == b"         int run(int n);"


def test_open_macros_follow_names_and_continued_lines():
    # (review) '#define STRIDE OFF' pastes OFF's '1+1'; a definition may continue over lines
    from ompwise.frontend.readable import open_macros
    got = open_macros(b"#define OFF 1+1\n#define STRIDE OFF\n#define C 1 \\\n + 1\n#define D 4\n#define E (1+1)\n")
    assert got == {"OFF", "STRIDE", "C"}


def test_an_empty_define_with_trailing_blanks_does_not_swallow_the_next_line():
    # tree-sitter takes the next line that is not blank as the value of '#define X ': here the
    # class's head, and every member after it was a syntax error (sw4lite's Sarray.h)
    src = ("#ifdef SW4_CUDA\n#define SW4_HDDECLARE __host__ __device__\n#else\n#define SW4_HDDECLARE \n#endif\n\n"
           "class Sarray {\npublic:\n   Sarray( int nc, int ibeg );\n   Sarray();\n"
           "   void zero(double *a, int n) { for (int i = 0; i < n; i++) a[i] = 0; }\n};\n")
    from ompwise.frontend.parse import parse_source
    tu = parse_source(src.encode(), "s.hpp")
    assert tu.errors == [] and len(tu.loops) == 1
    assert readable(b"#define E \t\nint f(void);\n", "c") == b"# \tdefine E\nint f(void);\n"
    assert readable(b'#include "a.h" \n', "c") == b'# include "a.h"\n'
    # a continued line keeps its backslash last
    assert readable(b"#define E \\ \n 1\n", "c") == b"#define E \\ \n 1\n"


def test_has_include_reads_as_a_condition():
    text = b'#if __has_include("mpi-ext.h") // C23\n#include "mpi-ext.h"\n#endif\nint x;\n'
    out = readable(text, "c")
    assert out.startswith(b"#if __has_include(0          ) // C23\n") and len(out) == len(text)
    assert readable(b'int y = __has_include("a.h");\n', "c") == b'int y = __has_include("a.h");\n'


def test_cuda_qualifiers_are_blanked_where_the_file_does_not_define_them():
    out = readable(b"__host__ __device__ float f(float x);\n", "cpp")
    assert out == b"                    float f(float x);\n"
    kept = b"#define __device__ static\n__device__ float f(float x);\n"  # (the file says what it is)
    assert readable(kept, "c").endswith(b"__device__ float f(float x);\n")


def test_a_macro_pasted_after_a_string_literal_is_read_in_cpp():
    src = ('#define VARIANT "ref"\nvoid show(int n, long *v) {\n  printf("variant: " VARIANT "\\n");\n'
           '  for (int i = 0; i < n; i++) v[i] = 0;\n  printf("%" PRId64 "\\n", v[0]);\n}\n')
    (a,) = loops_of(src, "cpp")
    assert a.reasons[0].code == "OMP-PARALLEL"
    out = readable(b'f("a" AB "b"); g(" hello"); h("a" u8"b"); k("x\\" AB" CD); /* "q" EF "r" */', "cpp")
    assert out == b'f("a" "" "b"); g(" hello"); h("a" u8"b"); k("x\\" AB" ""); /* "q" EF "r" */'
    assert readable(b'f("a" AB "b");', "c") == b'f("a" AB "b");'  # (tree-sitter-c reads it)
