#ifndef LAB_H
#define LAB_H

#define LAB_SCALE 3

int lab_scale(int x);

#endif
