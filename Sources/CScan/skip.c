#include "CScan.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#define TIGHTEN_SSE2 1
#endif

enum { QUOTE = '"', BACKSLASH = '\\' };

static inline int is_open(uint8_t c) { return c == '{' || c == '['; }
static inline int is_close(uint8_t c) { return c == '}' || c == ']'; }

/// One byte of the skip, byte by byte: the position after the container
/// when this byte closes it, else 0 (and `*i` moves past the byte, or past
/// the byte a backslash escapes).
static inline ptrdiff_t byte_step(const uint8_t *base, ptrdiff_t *i, int *in_string, ptrdiff_t *depth,
                                  ptrdiff_t depth_limit, int *too_deep) {
  uint8_t c = base[*i];
  if (*in_string) {
    if (c == BACKSLASH) {
      *i += 2;
      return 0;
    }
    if (c == QUOTE) *in_string = 0;
  } else if (c == QUOTE) {
    *in_string = 1;
  } else if (is_open(c)) {
    *depth += 1;
    if (*depth > depth_limit) *too_deep = 1;
  } else if (is_close(c)) {
    *depth -= 1;
    if (*depth == 0) return *i + 1;
  }
  *i += 1;
  return 0;
}

#if TIGHTEN_SSE2
/// The bits of the 16 bytes at `p` equal to `c`.
static inline uint64_t eq16(__m128i v, char c) {
  return (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
}

/// Each bit is the XOR of the bits at and below it: 1 inside a quoted run.
static inline uint64_t prefix_xor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}
#endif

ptrdiff_t tighten_skip_container(const uint8_t *base, ptrdiff_t start, ptrdiff_t end, ptrdiff_t depth_limit,
                                 int *too_deep) {
  ptrdiff_t depth = 0;
  int in_string = 0;
  ptrdiff_t i = start;
  while (i < end) {
#if TIGHTEN_SSE2
    // A whole block of 64 bytes, when they are in hand.
    if (end - i >= 64) {
      uint64_t quotes = 0, backslashes = 0, opens = 0, closes = 0;
      for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(base + i + 16 * k));
        quotes |= eq16(v, QUOTE) << (16 * k);
        backslashes |= eq16(v, BACKSLASH) << (16 * k);
        opens |= (eq16(v, '{') | eq16(v, '[')) << (16 * k);
        closes |= (eq16(v, '}') | eq16(v, ']')) << (16 * k);
      }
      if (backslashes == 0) {
        // Inside a string: the bits from an opening quote up to (not
        // including) its closing one, carried in from the block before.
        uint64_t inside = prefix_xor(quotes) ^ (in_string ? ~(uint64_t)0 : 0);
        opens &= ~inside;
        closes &= ~inside;
        ptrdiff_t n_open = __builtin_popcountll(opens), n_close = __builtin_popcountll(closes);
        if (n_close < depth && depth + n_open <= depth_limit) {
          // The depth cannot reach zero nor pass the limit in this block.
          depth += n_open - n_close;
          in_string ^= __builtin_popcountll(quotes) & 1;
          i += 64;
          continue;
        }
        // The brackets outside strings, in order.
        uint64_t marks = opens | closes;
        while (marks) {
          int bit = __builtin_ctzll(marks);
          marks &= marks - 1;
          if ((opens >> bit) & 1) {
            depth += 1;
            if (depth > depth_limit) *too_deep = 1;
          } else {
            depth -= 1;
            if (depth == 0) return i + bit + 1;
          }
        }
        in_string ^= __builtin_popcountll(quotes) & 1;
        i += 64;
        continue;
      }
      // A backslash: this block byte by byte.
      ptrdiff_t stop = i + 64;
      while (i < stop) {
        ptrdiff_t after = byte_step(base, &i, &in_string, &depth, depth_limit, too_deep);
        if (after) return after;
      }
      continue;
    }
#endif
    ptrdiff_t after = byte_step(base, &i, &in_string, &depth, depth_limit, too_deep);
    if (after) return after;
  }
  return -1;
}
