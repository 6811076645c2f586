#ifndef TIGHTEN_CSCAN_H
#define TIGHTEN_CSCAN_H

#include <stddef.h>
#include <stdint.h>

/// Skips the JSON container (object or array) whose opening byte is at
/// `base[start]`, as `JSONCursor.skipContainer` does: brackets and braces
/// counted alike outside strings, a string ended by a quote that no
/// backslash escapes, nothing else checked. Returns the position after its
/// closing byte, or -1 when `end` comes first (the value is incomplete).
/// `*too_deep` is set when the nesting passes `depth_limit`.
///
/// On x86-64, 64 bytes at a time: the quotes, backslashes and brackets of a
/// block found with vector compares, the bytes inside strings by a prefix
/// XOR of the quotes (as simdjson finds them), the depth moved by the counts
/// of opening and closing brackets outside strings; a block holding a
/// backslash, or one where the depth could end or pass the limit, byte by byte.
ptrdiff_t tighten_skip_container(const uint8_t *base, ptrdiff_t start, ptrdiff_t end, ptrdiff_t depth_limit,
                                 int *too_deep);

#endif
