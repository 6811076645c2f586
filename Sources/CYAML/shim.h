#ifndef TIGHTEN_CYAML_SHIM_H
#define TIGHTEN_CYAML_SHIM_H

// libyaml's event parser (Debian's libyaml-dev): tighten builds its own values
// from the events, so that every bound (depth, alias expansion, duplicate keys)
// is checked as the document is read.
#include <yaml.h>

#endif
