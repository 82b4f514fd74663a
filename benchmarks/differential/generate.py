"""Random C programs for differential soundness testing of ompwise (see run.py).

    python benchmarks/differential/generate.py SEED > prog.c

Each program initializes global arrays deterministically, runs loop nests drawn from
templates near the safe/unsafe line (shifted and strided subscripts, reductions,
scalars written or read first, helpers writing through pointers, macros, aliases,
triangular nests, loop variables used afterwards) and prints checksums.
"""
#!/usr/bin/env python3
"""Targeted random C program generator: loop templates with random parameters,
many of them near-misses between safe and unsafe.  No UB: 1-D arrays have size M=8N+64
and subscripts stay within [0, M) for i in [8, N)."""
import random
import sys, os
EXCL = os.environ.get("EXCL", "").split(",")

N = 2000

PRE = r'''#include <stdio.h>
#include <string.h>
#define N 2000
#define M (8*N+64)
#define AT(x, k) ((x)[(k) + 1])
static unsigned a[M], b[M], c[M];
static double d[M], e[M];
static int idx[M], idy[M];
static unsigned g2[72][72], h2[72][72];
static double q2[72][72];
static unsigned gs = 1u, gt = 2u;
static unsigned *const pa = a;
struct S { unsigned x, y; } st[M];
static unsigned mix(unsigned x) { return (x * 2654435761u) ^ (x >> 13); }
static void put(unsigned *p, unsigned v) { p[0] = v; }
static void put1(unsigned *p, unsigned v) { p[1] = v; }
static unsigned get(const unsigned *p, int k) { return p[k]; }
static unsigned getm1(const unsigned *p) { return p[-1]; }
static void addto(unsigned *p, int k, unsigned v) { p[k] += v; }
static void acc(unsigned *s, unsigned v) { *s += v; }
static unsigned rdb(int k) { return b[k]; }
static void wrc(int k, unsigned v) { c[k] = v; }
static void bumpgs(unsigned v) { gs += v; }
static unsigned cnt(void) { static unsigned ct = 0; ct++; return ct; }
static void swp(unsigned *x, unsigned *y) { unsigned t = *x; *x = *y; *y = t; }
static unsigned *at(unsigned *base, int k) { return base + k; }
static void rowset(unsigned *r, int n, unsigned v) { for (int z = 0; z < n; z++) r[z] = v + (unsigned)z; }
static unsigned rowsum(const unsigned *r, int n) { unsigned s = 0; for (int z = 0; z < n; z++) s += r[z]; return s; }
static unsigned setgt(unsigned v) { gt = v; return gt; }
static unsigned pure2(unsigned x, unsigned y) { return x * 3u + y; }
static void kern(unsigned *x, const unsigned *y, int n) {
  int z;
  for (z = 8; z < n; z++)
    x[z] = y[z + 1] + 1u;
}
static void kern2(unsigned *x, unsigned *y, int n) {
  int z;
  for (z = 8; z < n; z++)
    x[z] = y[z] * 3u + 1u;
}
static void kern3(unsigned (*x)[72], int r) {
  int z;
  for (z = 1; z < 64; z++)
    x[r][z] = x[r - 1][z] + 1u;
}
static unsigned long long csu(const unsigned *p, int n) {
  unsigned long long h = 1469598103934665603ull;
  for (int k = 0; k < n; k++) h = (h ^ p[k]) * 1099511628211ull;
  return h;
}
static double csd(const double *p, int n) {
  double h = 0.0;
  for (int k = 0; k < n; k++) h = h + p[k] * (double)(k % 17 + 1);
  return h;
}
'''


class G:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def ch(self, xs):
        return self.r.choice(xs)

    def p(self, x):
        return self.r.random() < x

    def A(self):
        return self.ch(["a", "b", "c"])

    def off(self):
        return self.r.randint(-8, 8)

    def ioff(self, o):
        return "i" if o == 0 else ("i+%d" % o if o > 0 else "i-%d" % -o)

    def val(self, v="i"):
        # a simple value expression not involving arrays being written
        return self.ch(["(unsigned)%s * 3u" % v, "mix((unsigned)%s)" % v, "b[%s] + 1u" % v,
                        "(unsigned)%s ^ 77u" % v, "e[%s] > 3.0 ? 1u : 2u" % v, "pure2((unsigned)%s, 5u)" % v])

    def hdr(self, lo="8", hi="N", var="i"):
        k = self.r.randint(0, 6)
        if k <= 2:
            return "for (%s = %s; %s < %s; %s++)" % (var, lo, var, hi, var), 1, False
        if k == 3:
            return "for (%s = %s - 1; %s >= %s; %s--)" % (var, hi, var, lo, var), 1, True
        if k == 4:
            s = self.r.randint(2, 4)
            return "for (%s = %s; %s < %s; %s += %d)" % (var, lo, var, hi, var, s), s, False
        if k == 5:
            return "for (%s = %s; %s <= %s - 1; ++%s)" % (var, lo, var, hi if hi != "N" else "n", var), 1, False
        return "for (%s = %s; %s != %s; %s++)" % (var, lo, var, hi, var), 1, False

    # ---- templates: each returns list of lines (indented by 2) ----
    def t_shift(self):
        A, B = self.A(), self.A()
        o1, o2 = self.off(), self.off()
        h, s, rev = self.hdr()
        op = self.ch(["=", "+=", "="])
        return [h + " {", "  %s[%s] %s %s[%s] + %s;" % (A, self.ioff(o1), op, B, self.ioff(o2), self.val()), "}"]

    def t_stride(self):
        A, B = self.A(), self.A()
        c1, c2 = self.r.randint(1, 4), self.r.randint(1, 4)
        d1, d2 = self.r.randint(0, 7), self.r.randint(0, 7)
        h, s, rev = self.hdr()
        lines = [h + " {", "  %s[%d*i+%d] = %s[%d*i+%d] * 5u + 1u;" % (A, c1, d1, B, c2, d2)]
        if self.p(0.4):
            lines.append("  %s[%d*i+%d] += %s;" % (self.A(), self.r.randint(1, 4), self.r.randint(0, 7), self.val()))
        lines.append("}")
        return lines

    def t_step_pair(self):
        A = self.A()
        s = self.r.randint(2, 3)
        o = self.r.randint(1, 3)
        return ["for (i = 8; i < N; i += %d) {" % s,
                "  %s[i] = %s[i+%d] + %s;" % (A, A, o, self.val()), "}"]

    def t_symstep(self):
        # a step only known at run time ('i += stp'): a shift may or may not meet the next
        # iteration; tiles of that size are apart
        A, B = self.A(), self.A()
        o = self.r.randint(-4, 4)
        lines = ["stp = (int)(csu(%s, %d) %% %du) + 1;" % (self.A(), self.r.randint(2, 9), self.r.randint(2, 5))]
        if self.p(0.5):
            lines += ["for (i = 8; i < N; i += stp) {",
                      "  %s[%s] %s %s[i] + %s;" % (A, self.ioff(o), self.ch(["=", "+="]), B, self.val()), "}"]
        else:
            lines += ["for (k = 8; k < N; k += stp) {",
                      "  for (j = k; j < (k + stp < N ? k + stp : N); j++)",
                      "    %s[j%s] = %s[j] * 3u + 1u;" % (A, "" if o == 0 else "%+d" % o, B), "}"]
        return lines

    def t_rev(self):
        A, B = self.A(), self.A()
        h, s, rev = self.hdr()
        w = self.ch(["N-1-i", "i", "N+8-i", "2*N-1-i"])
        rr = self.ch(["N-1-i", "i", "N+8-i", "i+N", "N-i"])
        return [h + " {", "  %s[%s] = %s[%s] + 1u;" % (A, w, B, rr), "}"]

    def t_modiv(self):
        A, B = self.A(), self.A()
        h, s, rev = self.hdr()
        w = self.ch(["i%%%d" % self.r.randint(2, 64), "i/%d" % self.r.randint(2, 4), "(i%%%d)*%d" % (self.r.randint(2, 8), self.r.randint(1, 8)),
                     "i*%d/%d" % (self.r.randint(2, 8), self.r.randint(2, 8)), "(i/2)*2", "(i>>1)", "(i<<1)", "(i&~1)", "i^1"])
        return [h + " {", "  %s[%s] = %s[i] + 1u;" % (A, w, B), "}"]

    def t_indirect(self):
        A, B = self.A(), self.A()
        h, s, rev = self.hdr()
        ix = self.ch(["idx", "idy"])
        k = self.r.randint(0, 3)
        if k == 0:
            body = "  %s[%s[i]] = %s[i] + 1u;" % (A, ix, B)
        elif k == 1:
            body = "  %s[i] = %s[%s[i]] + 1u;" % (A, B, ix)
        elif k == 2:
            body = "  %s[i] = %s[%s[i]] + 1u;" % (A, A, ix)
        else:
            body = "  %s[%s[i]] += 1u;" % (A, ix)
        return [h + " {", body, "}"]

    def t_calls(self):
        A = self.A()
        h, s, rev = self.hdr()
        k = self.r.randint(0, 14)
        o = self.off()
        v = self.val()
        body = {
            0: "put(&%s[%s], %s);" % (A, self.ioff(o), v),
            1: "put1(&%s[%s], %s[i] + 1u);" % (A, self.ioff(o), A),
            2: "put(&%s[%s], get(%s, %s) + 1u);" % (A, self.ioff(o), A, self.ioff(self.off())),
            3: "addto(%s, %s, %s);" % (A, self.ioff(o), v),
            4: "%s[i] = getm1(&%s[%s]) + 1u;" % (A, A, self.ioff(max(o, -7))),
            5: "wrc(%s, %s + c[i]);" % (self.ioff(o), v),
            6: "swp(&%s[i], &%s[%s]);" % (A, A, self.ch(["N-1-i", "i", "i+N", "i+1"])),
            7: "*at(%s, %s) = %s[i] + 1u;" % (A, self.ioff(o), A),
            8: "%s[i] = mix(%s[%s]);" % (A, A, self.ioff(o)),
            9: "%s[i] = cnt() + %s;" % (A, v),
            10: "%s[i] = setgt((unsigned)i) + 1u;" % A,
            11: "put(%s + %s, %s);" % (A, self.ioff(o), v),
            12: ("AT(%s, %s) = %s[i] * 2u;" if "AT" not in EXCL else "%s[%s] = %s[i] * 2u;") % (A, self.ioff(o), A),
            13: "%s[i] = rdb(%s) + 1u; b[%s] = 3u;" % (A, self.ioff(o), self.ioff(self.off())),
            14: "%s[i] = gt + %s; gt = %s[i];" % (A, v, A) if self.p(0.5) else "gt = %s[i]; %s[i] = gt + 1u;" % (A, A),
        }[k]
        return [h + " {", "  " + body, "}"]

    def t_ptr(self):
        A = self.A()
        o = self.r.randint(0, 8)
        ptr_init = self.ch(["%s + %d" % (A, o), "&%s[%d]" % (A, o), "%s" % self.A(), "%s + N" % A])
        h, s, rev = self.hdr()
        k = self.r.randint(0, 4)
        if k == 0:
            body = ["  p[i] = %s[i] + 1u;" % A]
        elif k == 1:
            body = ["  %s[i] = p[i] * 2u;" % A]
        elif k == 2:
            body = ["  p[i] = p[i-%d] + 1u;" % self.r.randint(0, 3)]
        elif k == 3:
            body = ["  { unsigned *r = &%s[i]; r[%d] = %s; }" % (A, self.r.randint(0, 2), self.val())]
        elif "pa" not in EXCL:
            body = ["  pa[i] = %s[%s] + 1u;" % (self.A(), self.ioff(self.off()))]
        else:
            body = ["  p[i+1] = %s[%s] + 1u;" % (self.A(), self.ioff(self.off()))]
        return ["p = %s;" % ptr_init, h + " {"] + body + ["}"]

    def t_scalar(self):
        A, B = self.A(), self.A()
        h, s, rev = self.hdr()
        cond = self.ch(["(i %% %d == 0)" % self.r.randint(2, 5), "(b[i] > 50u)", "(i > 1500)", "(i < 20)", "(e[i] > 8.0)"])
        k = self.r.randint(0, 13)
        body = {
            0: ["t0 = %s[i] + 1u;" % B, "%s[i] = t0 * t0;" % A],
            1: ["%s[i] = t0;" % A, "t0 = %s[i] + 1u;" % B],
            2: ["if %s t0 = %s[i];" % (cond, B), "%s[i] = t0;" % A],
            3: ["if %s t0 = %s[i];" % (cond, B)],
            4: ["if %s { t0 = %s[i]; %s[i] = t0; }" % (cond, B, A)],
            5: ["t0 = %s[i];" % B, "if %s t1 = t0 + 1u;" % cond],
            6: ["{ unsigned t0 = %s[i] + 3u; %s[i] = t0; }" % (B, A), "%s[i] += t0;" % A, "t0 = %s[i];" % B],
            7: ["{ unsigned t0 = %s[i]; %s[i] = t0 + 1u; }" % (B, A), "t0 = %s[i] ^ 5u;" % B],
            8: ["t0 = 0u;", "for (j = 0; j < i %% 8; j++) t0 += %s[8*i+j];" % B, "%s[i] = t0;" % A],
            9: ["for (j = 0; j < i %% 8; j++) t0 += %s[8*i+j];" % B, "%s[i] = t0;" % A],
            10: ["for (j = 0; j < %s; j++) t1 = %s[8*i+j];" % (self.ch(["8", "i % 8", "i % 3"]), B)],
            11: ["t0 = %s[i];" % B, "t1 = t0 * 2u;", "%s[i] = t1;" % A],
            12: ["t0 = %s[i];" % B, "if %s t0 = %s[i] + 1u; else t1 = t0;" % (cond, A)],
            13: ["switch (i %% 4) { case 0: t0 = %s[i]; case 1: t1 = t0 + 1u; break; default: t0 = 5u; }" % B,
                 "%s[i] = t0 + t1;" % A],
        }[k]
        return [h + " {"] + ["  " + x for x in body] + ["}"]

    def t_red(self):
        A, B = self.A(), self.A()
        h, s, rev = self.hdr()
        x = self.ch(["%s[i]" % B, "%s[i] * 3u" % B, "mix(%s[i])" % B, "(unsigned)i"])
        k = self.r.randint(0, 30)
        body = {
            0: ["s0 += %s;" % x],
            1: ["s0 = s0 + %s;" % x],
            2: ["s0 = %s + s0;" % x],
            3: ["s0 = %s - s0;" % x],
            4: ["s0 -= %s;" % x],
            5: ["s0 += %s;" % x, "s0 -= %s[i];" % A],
            6: ["s0 += %s;" % x, "s0 *= 3u;"],
            7: ["s0 = s0 * 3u + %s;" % x],
            8: ["s0 += s0 & 3u;"],
            9: ["s0 += %s * s0;" % x],
            10: ["if (%s > m0) m0 = %s;" % (x, x)],
            11: ["if (%s > m0) m0 = %s[i];" % (x, A)],
            12: ["if (%s > m0) m0 = %s + 1u;" % (x, x)],
            13: ["m0 = %s > m0 ? %s : m0;" % (x, x)],
            14: ["m0 = %s > m0 ? m0 : %s;" % (x, x)],
            15: ["m0 = m0 < %s ? %s : m0;" % (x, x)],
            16: ["if (m0 < %s) m0 = %s;" % (x, x)],
            17: ["if (%s >= m0) { m0 = %s; t1 = (unsigned)i; }" % (x, x)],
            18: ["f0 = f0 && (%s > 5u);" % x],
            19: ["f0 = (%s > 5u) && f0;" % x],
            20: ["f0 = f0 || (%s > 5u);" % x],
            21: ["f0 = f0 & (%s > 5u);" % x],
            22: ["if (%s > 100u) s0++;" % x],
            23: ["s0 += %s;" % x, "%s[i] = s0;" % A],
            24: ["s0 += %s;" % x, "if (s0 > 1000u) %s[i] = 1u;" % A],
            25: ["s0 *= (%s | 1u);" % x],
            26: ["s1 ^= %s;" % x, "s1 |= 1u;"],
            27: ["ds += d[i] * 0.5;"],
            28: ["if (d[i] > dm) dm = d[i];", "ds = ds + dm;"],
            29: ["if (%s > 100u) %s[(s0++) %% M] = (unsigned)i;" % (x, A)],
            30: ["gs += %s;" % x],
        }[k]
        return [h + " {"] + ["  " + x for x in body] + ["}"]

    def t_2d(self):
        X, Y = self.ch(["g2", "h2"]), self.ch(["g2", "h2"])
        ih = self.ch(["for (i = 1; i < 64; i++)", "for (i = 63; i >= 1; i--)", "for (i = 1; i < 64; i += 2)"])
        jh = self.ch(["for (j = 1; j < 64; j++)", "for (j = 1; j < i; j++)", "for (j = i; j < 64; j++)",
                      "for (j = 63; j >= 1; j--)", "for (j = 1; j <= i; j++)", "for (j = i + 1; j < 64; j++)",
                      "for (j = 1; j < i % 4 + 1; j++)"])
        W = self.ch(["[i][j]", "[i][j]", "[j][i]", "[i+1][j-1]", "[i][j+1]", "[i][0]", "[i-1][j]", "[j][j]", "[i][i]",
                     "[64-i][j]", "[i][64-j]"])
        R = self.ch(["[i][j]", "[j][i]", "[i-1][j]", "[i][j-1]", "[i+1][j+1]", "[i][j+1]", "[0][j]", "[j][i+1]",
                     "[i-1][j+1]", "[64-i][j]"])
        k = self.r.randint(0, 5)
        if k == 0:
            inner = ["%s%s = %s%s + (unsigned)j;" % (X, W, Y, R)]
        elif k == 1:
            inner = ["%s%s += %s%s;" % (X, W, Y, R)]
        elif k == 2:
            inner = ["t0 += %s%s;" % (Y, R)]
        elif k == 3:
            inner = ["t0 = %s%s * 2u;" % (Y, R), "%s%s = t0 + 1u;" % (X, W)]
        elif k == 4:
            inner = ["if (%s%s > 100u) %s%s = 1u;" % (Y, R, X, W)]
        else:
            inner = ["q2%s = q2%s * 0.5 + 1.0;" % (W, R)]
        pre, post = [], []
        if self.p(0.4):
            pre = [self.ch(["t0 = 0u;", "t0 = %s[i][0];" % Y, "t1 = (unsigned)i;"])]
        if self.p(0.4):
            post = [self.ch(["%s[i][0] = t0;" % X, "a[i] = t0;", "a[i] = (unsigned)j;", "h2[i][65] = t1;"])]
        return [ih + " {"] + ["  " + x for x in pre] + ["  " + jh + " {"] + ["    " + x for x in inner] + ["  }"] + \
            ["  " + x for x in post] + ["}"]

    def t_rowcall(self):
        k = self.r.randint(0, 4)
        if k == 0:
            return ["for (i = 1; i < 64; i++) {", "  rowset(g2[%s], 64, (unsigned)i);" % self.ch(["i", "i+1", "i-1", "0", "i/2"]), "}"]
        if k == 1:
            return ["for (i = 1; i < 64; i++) {", "  g2[i][0] = rowsum(%s[%s], 64);" % (self.ch(["g2", "h2"]), self.ch(["i", "i+1", "i-1"])), "}"]
        if k == 2:
            return ["for (i = 1; i < 64; i++) {", "  memset(&%s[%s], 0, %d * sizeof(unsigned));" % (self.A(), self.ch(["i*8", "i*4", "i", "i*2"]), self.ch([1, 2, 4, 8])), "}"]
        if k == 3:
            return ["for (i = 8; i < N; i++) {", "  memmove(&%s[%s], &%s[%s], %d * sizeof(unsigned));" % (self.A(), self.ch(["i*4", "i", "2*i"]), self.A(), self.ch(["i*4", "i+1", "i*2+1"]), self.ch([1, 2, 4])), "}"]
        return [self.ch(["kern(%s, %s, N);" % (self.A(), self.ch(["a", "b", "c", "a + 1", "a + 2"])),
                "kern2(%s, %s, N);" % (self.A(), self.ch(["a", "b", "c", "a + 1", "a + 2"])),
                "for (i = 1; i < 64; i++) kern3(%s, %s);" % (self.ch(["g2", "h2"]), self.ch(["i", "1", "2"])),
                "for (i = 1; i < 64; i++)\n    kern3(%s, %s);" % (self.ch(["g2", "h2"]), self.ch(["i", "1", "2", "64 - i"]))])]

    def t_localarr(self):
        h, s, rev = self.hdr()
        A, B = self.A(), self.A()
        k = self.r.randint(0, 5)
        body = {
            0: ["for (k = 0; k < 8; k++) tmp[k] = %s[8*i+k];" % B, "%s[i] = tmp[0] + tmp[7];" % A],
            1: ["tmp[i %% 8] = %s[i];" % B, "%s[i] = tmp[(i + 1) %% 8];" % A],
            2: ["for (k = 0; k < 4; k++) tmp[k] = %s[i] + (unsigned)k;" % B, "%s[i] = tmp[3] + tmp[5];" % A],
            3: ["for (k = 0; k < i %% 8; k++) tmp[k] = %s[i];" % B, "%s[i] = tmp[0];" % A],
            4: ["tmp[0] = %s[i];" % B, "tmp[1] = tmp[0] * 2u;", "%s[i] = tmp[1];" % A],
            5: ["{ unsigned loc[8]; for (k = 0; k < 8; k++) loc[k] = %s[i] + (unsigned)k; %s[i] = loc[i %% 8]; }" % (B, A)],
        }[k]
        return [h + " {"] + ["  " + x for x in body] + ["}"]

    def t_misc(self):
        h, s, rev = self.hdr()
        A, B = self.ch([("a", "b"), ("b", "c"), ("c", "a"), ("b", "a")])
        k = self.r.randint(0, 12)
        body = {
            0: ["st[i].x = %s[i];" % B, "st[i].y = st[%s].x;" % self.ioff(self.off())],
            1: ["st[i].x = st[i].y + 1u;"],
            2: ["%s[i] = %s[i]++;" % (A, B)],
            3: ["%s[i] = (%s[i] = %s) + 1u;" % (A, B, self.val())],
            4: ["%s[i] = %s[i-1] > 5u ? %s[i] : 0u;" % (A, self.A(), B)],
            5: ["if (i > 1000) continue;", "%s[i] = %s[i+1];" % (A, B)],
            6: ["if (%s[i] == 12345u) break;" % B, "%s[i] = 1u;" % A],
            7: ["%s[i] = %s[i] + (unsigned)n;" % (A, B)],
            8: ["%s[i] = (t0 = %s[i]) + 1u;" % (A, B)],
            9: ["%s[i] = %s[i] + k++;" % (A, B)],
            10: ["%s[i] = %s;" % (A, self.ch(["gs", "gt", "s0", "m0"])), "%s = %s[i];" % (self.ch(["gs", "gt", "s0"]), B)],
            11: ["%s[i] = %s[i] + %s[i-1];" % (A, A, self.ch(["a", "b", "c"])), ],
            12: ["static unsigned sv = 0u;" if False else "sv += %s[i];" % B, "%s[i] = sv;" % A],
        }[k]
        return [h + " {"] + ["  " + x for x in body] + ["}"]

    def t_inner(self):
        A, B = self.A(), self.A()
        jb = self.ch(["8", "i % 8", "i % 5 + 1"])
        w = self.ch(["8*i+j", "i", "j", "8*i+j+1", "i+j", "8*i+7-j", "N+j"])
        rr = self.ch(["8*i+j", "i", "j", "8*i+j+1", "i+j", "8*i+j-1", "8*i-1"])
        return ["for (i = 8; i < N; i++) {",
                "  for (j = 0; j < %s; j++) {" % jb,
                "    %s[%s] %s %s[%s] + 1u;" % (A, w, self.ch(["=", "+="]), B, rr),
                "  }", "}"]

    def t_atomic(self):
        # updates the author synchronized: histograms and counters, with near-misses (a plain
        # access of the element, two operators, a builtin's value used, the counter read)
        A, B = self.A(), self.A()
        ix = self.ch(["idx", "idy"])
        h, s, rev = self.hdr()
        v = self.val()
        k = self.r.randint(0, 8)
        body = [["#pragma omp atomic", "%s[%s[i]] += %s;" % (A, ix, v)],
                ["__sync_fetch_and_add(&%s[%s[i]], %s);" % (A, ix, v)],
                ["#pragma omp atomic", "%s[%s[i]] += 1u;" % (A, ix), "#pragma omp atomic", "%s[%s[i] + 1] |= 2u;" % (A, ix)],
                ["__sync_fetch_and_add(&%s[%s[i]], 1u);" % (A, ix), "%s[i] = %s[i] + 1u;" % (B, A)],
                ["t0 = __sync_fetch_and_add(&%s[%s[i]], 1u);" % (A, ix), "%s[i] += t0;" % B],
                ["#pragma omp atomic", "s0 += %s;" % v],
                ["#pragma omp critical", "s1 = s1 + %s;" % v],
                ["#pragma omp atomic", "s0 += %s;" % v, "%s[i] = s0;" % B],
                ["__sync_fetch_and_add(&f0, %s);" % v]][k]
        return [h + " {"] + ["  " + x for x in body] + ["}"]

    def t_halo(self):
        # the layers of a halo: 'k < hw' (known only at run time) around a row padded by hw
        A = self.ch(["g2", "h2"])
        lo, hi = self.r.randint(8, 12), self.r.randint(50, 60)
        body = self.ch(["%s[k][jj] = h2[k + 4][jj] + (unsigned)k;" % A, "%s[k + 1][jj] += %s[k][jj + 1];" % (A, A),
                        "%s[k][jj] = %s[k + 1][jj] + 1u;" % (A, A), "%s[k][jj] = (unsigned)(jj * 3 + k);" % A])
        return ["for (k = 0; k < hw; k++) {", "  for (int jj = %d - hw; jj < %d + hw; jj++) {" % (lo, hi),
                "    " + body, "  }", "}"]

    def t_goto(self):
        # 'goto' to the end of the body is 'continue'; a label followed by work is not
        A = self.A()
        h, s, rev = self.hdr()
        self.labels = getattr(self, "labels", 0) + 1
        lab = "nx%d" % self.labels
        k = self.r.randint(0, 3)
        cond = "  if (b[i] %% %du == 0u) goto %s;" % (self.r.randint(2, 5), lab)
        body = [[cond, "  %s[i] = %s;" % (A, self.val())],
                [cond, "  t1 = b[i] + 1u;", "  %s[i] = t1;" % A],
                [cond, "  s1 = %s[i];" % A, "  %s[i + 1] = s1 + 1u;" % A],
                [cond, "  %s[i] = 1u;" % A, "%s:" % lab, "  %s[i] += 1u;" % A]][k]
        end = [] if k == 3 else ["%s:" % lab, "  ;"]
        return [h + " {"] + body + end + ["}"]

    def program(self):
        L = [PRE, "int main(void) {",
             "  int i, j = 0, k = 0, n = N, stp = 1, hw = 2;",
             "  unsigned s0 = 1u, s1 = 0u, t0 = 3u, t1 = 5u, m0 = 7u, f0 = 1u;",
             "  static unsigned sv = 0u;",
             "  double ds = 0.0, dm = -1.0;",
             "  unsigned tmp[8] = {0u};",
             "  unsigned *p = a;",
             "  for (k = 0; k < M; k++) {",
             "    a[k] = (unsigned)k * 2654435761u >> 7;",
             "    b[k] = (unsigned)(k * 7 + 3) %% %du;" % self.ch([1000, 97, 65536]),
             "    c[k] = (unsigned)k ^ 0x5a5au;",
             "    d[k] = (double)(k % 101) * 0.5;",
             "    e[k] = (double)((k * 3) % 17) + 0.25;",
             "    idx[k] = (k * %d + 3) %% N;" % self.ch([7, 11, 3]),
             "    idy[k] = %s;" % self.ch(["(k * k) % N", "(k / 2) % N", "(k * 2) % N"]),
             "    st[k].x = (unsigned)k; st[k].y = (unsigned)k * 3u;",
             "  }",
             "  for (k = 0; k < 72 * 72; k++) {",
             "    g2[k / 72][k % 72] = (unsigned)k * 40503u;",
             "    h2[k / 72][k % 72] = (unsigned)(k % 91);",
             "    q2[k / 72][k % 72] = (double)(k % 29) * 0.125;",
             "  }",
             "  k = 0;",
             "  hw = (int)(b[0] % 3u) + 1;  /* a halo's width, known only at run time */"]
        temps = [self.t_shift, self.t_stride, self.t_step_pair, self.t_rev, self.t_modiv, self.t_indirect,
                 self.t_calls, self.t_ptr, self.t_scalar, self.t_scalar, self.t_red, self.t_red, self.t_2d, self.t_2d,
                 self.t_rowcall, self.t_localarr, self.t_misc, self.t_inner, self.t_symstep,
                 self.t_atomic, self.t_atomic, self.t_halo, self.t_goto]
        for _ in range(self.r.randint(1, 4)):
            for line in self.ch(temps)():
                L.append("  " + line)
        L += ['  printf("%llu %llu %llu\\n", csu(a, M), csu(b, M), csu(c, M));',
              '  printf("%.17g %.17g %.17g\\n", csd(d, M), csd(e, M), csd(&q2[0][0], 72 * 72));',
              '  printf("%llu %llu %llu\\n", csu(&g2[0][0], 72 * 72), csu(&h2[0][0], 72 * 72), csu(&st[0].x, 2 * M));',
              '  printf("%u %u %u %u %u %u %u %u %u\\n", s0, s1, t0, t1, m0, f0, gs, gt, sv);',
              '  printf("%.17g %.17g %d %d %d\\n", ds, dm, i, j, k);',
              '  printf("%llu\\n", csu(tmp, 8));',
              "  return 0;", "}"]
        return "\n".join(L) + "\n"


if __name__ == "__main__":
    sys.stdout.write(G(int(sys.argv[1])).program())
