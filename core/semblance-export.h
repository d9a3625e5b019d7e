/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The public API of libsemblance. The engine is compiled with hidden
 * symbols: only declarations marked SEMBLANCE_EXPORT leave the shared
 * library, so that internals can change without breaking the programs
 * that link it (tests/install checks the list).
 */
#pragma once

#define SEMBLANCE_EXPORT __attribute__ ((visibility ("default"))) extern
