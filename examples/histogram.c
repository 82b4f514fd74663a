/* Histogram: the counting loop writes through data-dependent subscripts. */
#include <stdio.h>
#define N 100000
#define BINS 64

int data[N], hist[BINS];

int main(void) {
  int i;
  for (i = 0; i < N; i++)
    data[i] = (i * 2654435761u) % 1000;
  for (i = 0; i < BINS; i++)
    hist[i] = 0;
  for (i = 0; i < N; i++)
    hist[data[i] % BINS]++;
  for (i = 0; i < BINS; i++)
    printf("%d %d\n", i, hist[i]);
  return 0;
}
