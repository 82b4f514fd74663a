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
