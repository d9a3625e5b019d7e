/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Semblance engine: include this one header. */
#pragma once

#include "semblance-analyzer.h"
#include "semblance-error.h"
#include "semblance-extractor.h"
#include "semblance-file.h"
#include "semblance-key.h"
#include "semblance-layout.h"
#include "semblance-semantic-table.h"
#include "semblance-text.h"
#include "semblance-vocab.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SemblanceExtractor, semblance_extractor_free)
