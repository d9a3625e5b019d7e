/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The Semblance engine: include this one header (pkg-config semblance-1).
 * core/README.md says what each layer owns.
 */
#pragma once

#include "semblance-error.h"
#include "semblance-layout.h"

/* analysis */
#include "semblance-analyzer.h"
#include "semblance-enums.h"
#include "semblance-extractor.h"
#include "semblance-file.h"
#include "semblance-properties.h"

/* text */
#include "semblance-text.h"
#include "semblance-vocab.h"

/* model */
#include "semblance-embedder.h"
#include "semblance-metrics.h"
#include "semblance-model.h"
#include "semblance-semantic-table.h"
#include "semblance-train.h"

/* library */
#include "semblance-blend.h"
#include "semblance-collect.h"
#include "semblance-confident.h"
#include "semblance-indexer.h"
#include "semblance-library.h"
#include "semblance-query.h"
#include "semblance-store.h"
