#include "lab.h"

int lab_scale(int x) {
	return x * LAB_SCALE;
}
