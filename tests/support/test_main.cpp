// Test entry point: runs OpenBLAS with the kernels the t5bench binary uses, so tests see the same numbers.

#include <gtest/gtest.h>

#include "core/cpu.h"

int main(int argc, char** argv) {
  t5::select_blas_kernels(argv);
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
