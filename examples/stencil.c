/* 2-D Jacobi stencil: the sweep is parallel, the time loop is not. */
#include <stdio.h>
#define N 512
#define STEPS 20

static double a[N][N], b[N][N];

int main(void) {
  int i, j, t;
  for (i = 0; i < N; i++)
    for (j = 0; j < N; j++)
      a[i][j] = (double)(i * j % 7);
  for (t = 0; t < STEPS; t++) {
    for (i = 1; i < N - 1; i++)
      for (j = 1; j < N - 1; j++)
        b[i][j] = 0.25 * (a[i - 1][j] + a[i + 1][j] + a[i][j - 1] + a[i][j + 1]);
    for (i = 1; i < N - 1; i++)
      for (j = 1; j < N - 1; j++)
        a[i][j] = b[i][j];
  }
  printf("%.6f\n", a[N / 2][N / 2]);
  return 0;
}
