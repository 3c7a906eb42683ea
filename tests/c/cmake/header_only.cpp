// Compiled by the CMake consumer project: the installed header works in C++ through the target.
#include <tcroom.h>

static_assert(TC_STATUS_OK == 0, "TC_STATUS_OK is 0");
int tcroom_cmake_header_only() { return TC_VERSION > 0 ? 0 : 1; }
