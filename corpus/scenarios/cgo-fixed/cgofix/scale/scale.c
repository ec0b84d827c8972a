#include "scale.h"

int scale(int x) { return x * SCALE_FACTOR; }
