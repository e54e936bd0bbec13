#ifndef FJORD_CYAML_SHIM_H
#define FJORD_CYAML_SHIM_H
#include <yaml.h>
#endif
