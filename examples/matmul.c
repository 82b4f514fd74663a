/* Dense matrix product C = A * B with a scalar accumulator. */
#include <stdio.h>
#include <stdlib.h>

void matmul(int n, const double *restrict A, const double *restrict B, double *restrict C) {
  int i, j, k;
  double sum;
  for (i = 0; i < n; i++) {
    for (j = 0; j < n; j++) {
      sum = 0.0;
      for (k = 0; k < n; k++)
        sum += A[i * n + k] * B[k * n + j];
      C[i * n + j] = sum;
    }
  }
}

int main(void) {
  int n = 300;
  double *A = malloc(sizeof(double) * n * n), *B = malloc(sizeof(double) * n * n), *C = malloc(sizeof(double) * n * n);
  for (int i = 0; i < n * n; i++) {
    A[i] = (i % 13) * 0.5;
    B[i] = (i % 7) * 0.25;
  }
  matmul(n, A, B, C);
  printf("%.3f\n", C[n * n / 2]);
  free(A); free(B); free(C);
  return 0;
}
