#include <stdio.h>
#define N 20000
int perm[N];
double a[N], b[N];
int main(void) {
  int i;
  for (i = 0; i < N; i++) { perm[i] = (i * 7) % N; a[i] = i * 0.5; }
  for (i = 0; i < N; i++) b[perm[i]] = a[i] * 2.0;
  double s = 0;
  for (i = 0; i < N; i++) s += b[i] * (i % 3);
  printf("%f\n", s);
  return 0;
}
