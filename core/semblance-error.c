/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "semblance-error.h"

G_DEFINE_QUARK (semblance-error-quark, semblance_error)
