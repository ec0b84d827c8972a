#define SCALE_FACTOR 3
int scale(int x);
