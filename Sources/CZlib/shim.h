#ifndef TIGHTEN_CZLIB_SHIM_H
#define TIGHTEN_CZLIB_SHIM_H

#include <zlib.h>

// inflateInit2 is a macro in zlib.h, which Swift cannot call: wrap it.
static inline int tighten_inflateInit2(z_streamp stream, int windowBits) {
  return inflateInit2(stream, windowBits);
}

// deflateInit2 likewise (the tests and the fuzzers write gzip with it).
static inline int tighten_deflateInit2(z_streamp stream, int level, int windowBits) {
  return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

#endif
