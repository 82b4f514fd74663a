/* Inclusive prefix sum: each element needs the previous one. */
#include <stdio.h>
#define N 100000

long in[N], out[N];

int main(void) {
  int i;
  for (i = 0; i < N; i++)
    in[i] = i % 10;
  out[0] = in[0];
  for (i = 1; i < N; i++)
    out[i] = out[i - 1] + in[i];
  printf("%ld\n", out[N - 1]);
  return 0;
}
