/* Sum, maximum and a dot product: three reductions. */
#include <stdio.h>
#include <math.h>
#define N 1000000

double x[N], y[N];

int main(void) {
  double sum = 0.0, dot = 0.0, biggest = -1e300;
  int i;
  for (i = 0; i < N; i++) {
    x[i] = sin(i * 0.001);
    y[i] = cos(i * 0.001);
  }
  for (i = 0; i < N; i++)
    sum += x[i];
  for (i = 0; i < N; i++)
    if (x[i] > biggest)
      biggest = x[i];
  for (i = 0; i < N; i++)
    dot = dot + x[i] * y[i];
  printf("%.6f %.6f %.6f\n", sum, biggest, dot);
  return 0;
}
