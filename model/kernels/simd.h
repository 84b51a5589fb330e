#pragma once

// The x86 intrinsics. GCC 12 reports -Wmaybe-uninitialized inside its own AVX-512 headers once their
// helpers are inlined (GCC bug 105593, fixed in 13); the location is the header, so silence it there.
#if defined(__AVX512F__) || defined(__AVX2__)
#if defined(__clang__)
#include <immintrin.h>
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#endif
#endif
