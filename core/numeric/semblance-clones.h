/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SEMBLANCE_VECTOR_CLONES before a function of vector code: it is built
 * for the baseline and for x86-64-v3 (AVX2 and FMA), and the one to run
 * is chosen when the library loads (GNU ifunc). Elsewhere, and where the
 * choice cannot be trusted, it is built once for the baseline:
 * - without ifunc (meson.build's check: musl, non-ELF);
 * - with Clang before 18, which builds the clones but whose resolver
 *   never picks "arch=" ones (LLVM issue 55830) and is exported even for a
 *   static function;
 * - with SEMBLANCE_NO_CLONES, so that a test can run the baseline's code
 *   on a machine that would choose the other.
 * The function should be static: GCC exports the resolver of one that is
 * not, whatever the default visibility. Vector helpers it calls are
 * always inlined, so that they are built for each clone.
 */
#pragma once

#if defined(__x86_64__) && defined(SEMBLANCE_HAVE_IFUNC) && \
    !defined(SEMBLANCE_NO_CLONES) && \
    (!defined(__clang__) || __clang_major__ >= 18)
#define SEMBLANCE_VECTOR_CLONES \
  __attribute__ ((target_clones ("default", "arch=x86-64-v3")))
#else
#define SEMBLANCE_VECTOR_CLONES
#endif
