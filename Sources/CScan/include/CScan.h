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

#if defined(__x86_64__) || defined(_M_X64)
#include <emmintrin.h>
#endif

/// The offset from `p` of the first byte among the `n` bytes there that is
/// `a` or `b`, or `n` when there is none. Sixteen bytes at a time with SSE2
/// on x86-64. Inline, so that Swift's callers inline it with their bytes.
static inline ptrdiff_t tighten_find_either(const uint8_t *p, ptrdiff_t n, uint8_t a, uint8_t b) {
  ptrdiff_t i = 0;
#if defined(__x86_64__) || defined(_M_X64)
  const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
    int hits = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
    if (hits) return i + __builtin_ctz((unsigned)hits);
  }
#endif
  for (; i < n; i++) {
    if (p[i] == a || p[i] == b) return i;
  }
  return n;
}

/// The offset from `p` of the first quote or backslash among the `n` bytes
/// there, or `n` when there is none: where a JSON string's bytes stop
/// being plain (one call per string the scanner reads).
static inline ptrdiff_t tighten_find_quote_or_backslash(const uint8_t *p, ptrdiff_t n) {
  return tighten_find_either(p, n, '"', '\\');
}

/// Whether any of the `n` bytes at `p` must be escaped in a JSON string: a
/// control byte (below 0x20), a quote or a backslash. Sixteen bytes at a
/// time with SSE2 on x86-64 (bytes compared unsigned, so UTF-8 passes; the
/// last block overlaps the one before), shorter runs byte by byte.
/// Inline, as the reports ask it of every string they write.
static inline int tighten_json_needs_escape(const uint8_t *p, ptrdiff_t n) {
  ptrdiff_t i = 0;
#if defined(__x86_64__) || defined(_M_X64)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), control = _mm_set1_epi8(0x1F);
  if (n >= 16) {
    // Blocks of sixteen, the last one ending at the last byte (it may overlap the one before).
    for (;; i += 16) {
      if (i + 16 > n) i = n - 16;
      __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
      __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                  _mm_cmpeq_epi8(_mm_max_epu8(v, control), control));
      if (_mm_movemask_epi8(hits)) return 1;
      if (i + 16 == n) return 0;
    }
  }
#endif
  for (; i < n; i++) {
    if (p[i] < 0x20 || p[i] == '"' || p[i] == '\\') return 1;
  }
  return 0;
}

/// The offset from `p` of the first `*` or `?` among the `n` bytes there,
/// or `n` when there is none: where a resource in IAM's syntax may hold a
/// wildcard.
static inline ptrdiff_t tighten_find_wildcard(const uint8_t *p, ptrdiff_t n) {
  return tighten_find_either(p, n, '*', '?');
}

/// Asks for the cache line at `p` ahead of its use (a hint: no fault, no effect on results).
static inline void tighten_prefetch(const void *p) {
  __builtin_prefetch(p);
}

#endif
